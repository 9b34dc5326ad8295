// One store, five APIs: the same member added through any one of native
// membership.v1, ZITADEL management v1, ZITADEL v2beta, Infisical or Canopy
// is listed by every surface that can show a principal of its kind, with the
// same roles and the same status, as far as each API's shape carries them; a
// member invited or suspended through one shows so on all, and one removed
// through any one is gone from all five. Each round is a table of surface ×
// kind × reader; what an API cannot do is a skipped test whose name says
// why, so the gap shows in every run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MembershipStatus } from "../../gen/membership/v1/common_pb.js";
import { startWorld } from "../helpers/fixtures.ts";
import { surfaces, NOT_SHOWN, type Kind, type Place, type Surface } from "../helpers/five-surfaces.ts";
import { auth } from "../helpers/server.ts";
import { zitadelV2Clients } from "../helpers/zitadel-v2-client.ts";

const KINDS: Kind[] = ["user", "identity"];
const aKind = (kind: Kind) => (kind === "user" ? "a user" : "an identity");
const place = {} as Place;
/** Laid out before the server starts: each surface makes its clients at the call. */
const SURFACES = surfaces(place);

beforeAll(async () => {
  const w = await startWorld({}, zitadelV2Clients);
  const slug = "five-surfaces";
  const orgId = (await w.c.orgs.createOrganization({ name: "Five Surfaces", slug }, w.admin)).organization!.id;
  const projectId = await w.newProject("Shared", orgId);
  const role = "editor";
  await w.c.projects.createProjectRole({ projectId, slug: role, name: "Editor", permissions: ["project.read"] }, auth(w.ts.adminToken, orgId));
  Object.assign(place, { w, orgId, slug, projectId, role });
});
afterAll(() => place.w?.close());

/** A fresh principal of the kind, in the shared organization. */
const fresh = async (kind: Kind, label: string) =>
  (kind === "user" ? await place.w.newUser(label.replace(/\W+/g, "-").toLowerCase(), place.orgId) : await place.w.newIdentity(label, place.orgId)).id;

/** What the reader shows of a member holding `roles` in `status`, as its shape carries them. */
function expected(reader: Surface, roles: string[], status: "active" | "invited" | "suspended") {
  // Canopy's AppMembership has no roles; ZITADEL v1's member and Infisical's entries have no status (they list the members not deactivated).
  const shown: { roles: string[] | typeof NOT_SHOWN; status: string } = { roles: reader.name === "Canopy" ? NOT_SHOWN : roles, status };
  if (reader.name === "ZITADEL v1" || reader.name === "Infisical") shown.status = NOT_SHOWN;
  // ZITADEL v2's authorization is ACTIVE or INACTIVE; INACTIVE is invited or suspended.
  if (reader.name === "ZITADEL v2" && status !== "active") shown.status = "inactive";
  return shown;
}

type Step = (principalId: string) => Promise<void>;
type StepOf = (s: Surface) => Record<Kind, Step | string>;

/**
 * One round of the table: for each surface and kind, a fresh principal goes
 * through `prepare` with the surface's step, then every reader is asked. A
 * surface without the step, or a reader without the kind, is a skipped test
 * naming why.
 */
function round(title: string, stepOf: StepOf, prepare: (step: Step, id: string, kind: Kind) => Promise<void>, check: (reader: Surface, seen: unknown, by: Surface, kind: Kind) => void) {
  describe.each(SURFACES.map((s) => [s.name, s] as const))(`a member ${title} %s`, (__, by) => {
    describe.each(KINDS.map((k) => [aKind(k), k] as const))("as %s", (_, kind) => {
      const step = stepOf(by)[kind];
      if (typeof step === "string") {
        it.skip(`(skipped: ${by.name} cannot, for ${aKind(kind)}: ${step})`, () => {});
        return;
      }
      let principalId = "";
      beforeAll(async () => {
        principalId = await fresh(kind, `${title} ${by.name} ${kind}`);
        await prepare(step, principalId, kind);
      });
      for (const reader of SURFACES) {
        const list = reader.list[kind];
        if (typeof list === "string") it.skip(`as ${reader.name} shows it (skipped: ${reader.name} cannot list ${aKind(kind)}: ${list})`, () => {});
        else it(`as ${reader.name} shows it`, async () => check(reader, await list(principalId), by, kind));
      }
    });
  });
}

/** Adds natively with the custom role: the member the suspension and removal rounds act on. */
const addNatively = (kind: Kind) => SURFACES[0]!.add[kind] as Step;
const nativeRoles = () => SURFACES[0]!.granted("user");

round("added through", (s) => s.add, (add, id) => add(id), (reader, seen, by, kind) => {
  expect(seen).toEqual(expected(reader, by.granted(kind), "active"));
});

round("invited through", (s) => s.invite, (invite, id) => invite(id), (reader, seen, by, kind) => {
  expect(seen).toEqual(expected(reader, by.granted(kind), "invited"));
});

round("suspended through", (s) => s.suspend, async (suspend, id, kind) => {
  await addNatively(kind)(id);
  await suspend(id);
}, (reader, seen) => {
  expect(seen).toEqual(expected(reader, nativeRoles(), "suspended"));
});

round("removed through", (s) => s.remove, async (remove, id, kind) => {
  await addNatively(kind)(id);
  await remove(id);
  // Removed is deactivated, not erased: the native list still finds it when asked for that status.
  const filter = { statuses: [MembershipStatus.DEACTIVATED] };
  const { memberships } = await place.w.c.members.listMemberships({ projectId: place.projectId, pageSize: 1000, filter }, auth(place.w.ts.adminToken, place.orgId));
  const found = memberships.find((m) => m.userId === id || m.identityId === id);
  expect(found?.status).toBe(MembershipStatus.DEACTIVATED);
}, (_, seen) => {
  expect(seen).toBeUndefined();
});
