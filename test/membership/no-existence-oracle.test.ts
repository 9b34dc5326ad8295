// No existence oracle across organizations, generated from the route table:
// for every RPC that needs a caller and every id its request takes (project,
// user, identity, membership, token, role, organization, and the filters by
// principal), an id of another organization answers exactly as an id that
// exists nowhere: same code, same message once the id is set aside, same
// ZITADEL error id, or the same answer where the id only filters. So does an
// x-zitadel-orgid naming another organization. The caller is an ORG_OWNER of
// its organization: it holds every permission there and none elsewhere.
import { toJson, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorDetailSchema } from "../../gen/zitadel/message_pb.js";
import type { Route } from "../../src/rpc/route.ts";
import type { World } from "../helpers/fixtures.ts";
import { ROUTES, startRpcWorld, type Headers, type RpcWorld } from "../helpers/rpc-cases.ts";
import { auth, type TestServer } from "../helpers/server.ts";

type Kind = "project" | "user" | "identity" | "membership" | "token" | "role" | "organization";
/** What each id field of a request names; a new id field fails the coverage test until it is listed. */
const KIND: Record<string, Kind> = {
  project_id: "project",
  user_id: "user",
  identity_id: "identity",
  membership_id: "membership",
  token_id: "token",
  role_id: "role",
  organization_id: "organization",
  principal_id: "user",
  actor_id: "user",
  target_id: "user",
};
// An id of the same shape as real ones that no organization holds.
const NOWHERE = "1700000000000123456";

let ts: TestServer;
let w: World;
let call: RpcWorld["call"];
let requestFor: RpcWorld["requestFor"];
let owner: { id: string; headers: Headers };
let otherOrg: string;
const foreign = {} as Record<Kind, string>;

beforeAll(async () => {
  ({ ts, w, call, requestFor } = await startRpcWorld());
  const u = await w.newUser("owner");
  await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: u.id }, roles: ["ORG_OWNER"] }, w.admin);
  owner = { id: u.id, headers: u.as.headers };
  // Another organization with one of everything.
  otherOrg = await w.newOrg("oracle other");
  const inOther = auth(ts.adminToken, otherOrg);
  const project = await w.newProject("foreign project", otherOrg);
  const user = await w.newUser("foreign", otherOrg);
  const { membership } = await w.c.members.inviteProjectMember({ projectId: project, userId: user.id, roles: ["viewer"] }, inOther);
  const role = await w.c.projects.createProjectRole({ projectId: project, slug: "foreign-role", name: "f" }, inOther);
  const token = await w.c.tokens.createToken({ principal: { case: "userId", value: user.id } }, inOther);
  Object.assign(foreign, {
    project,
    user: user.id,
    identity: (await w.newIdentity("foreign-bot", otherOrg)).id,
    membership: membership!.id,
    token: token.token!.id,
    role: role.role!.id,
    organization: otherOrg,
  });
});
afterAll(() => ts?.close());

/** The answer to compare, with the id it was about set aside; answers that succeed drop their times. */
async function answer(route: Route, request: Record<string, unknown>, id: string, headers: Headers = owner.headers) {
  try {
    const out = await call(route, request, headers);
    const json = JSON.stringify(out === undefined ? null : toJson(route.method.output, out as never));
    return { ok: json.replaceAll(id, "<id>").replace(/,?"[A-Za-z]*(Date|Time|Timestamp)":"[^"]*"/g, "") };
  } catch (e) {
    const err = ConnectError.from(e);
    const detail = err.findDetails(ErrorDetailSchema)[0]?.id;
    return { code: err.code, message: err.rawMessage.replaceAll(id, "<id>"), ...(detail ? { detail } : {}) };
  }
}

/** The request with one id field set: a oneof member replaces the whole oneof. */
function withId(request: Record<string, unknown>, f: DescField, id: string): Record<string, unknown> {
  return f.oneof ? { ...request, [f.oneof.localName]: { case: f.localName, value: id } } : { ...request, [f.localName]: id };
}

const idFields = (r: Route) => (r.method.input as DescMessage).fields.filter((f) => f.fieldKind === "scalar" && f.name.endsWith("_id"));
const routes = [...ROUTES.entries()].filter(([, r]) => r.access.scope !== "public");
const cells: [string, string, Route, DescField][] = routes.flatMap(([rpc, r]) => idFields(r).map((f): [string, string, Route, DescField] => [`${rpc} ${f.name}`, rpc, r, f]));

describe("an id of another organization answers as one that exists nowhere", () => {
  it("knows what every id field names", () => {
    expect(cells.map((c) => c[3].name).filter((n) => !(n in KIND))).toEqual([]);
  });

  it.each(cells)("%s", async (_label, rpc, route, field) => {
    const base = await requestFor(rpc, { id: owner.id, homeOrg: ts.orgId });
    const id = foreign[KIND[field.name]!];
    const [theirs, nowhere] = [await answer(route, withId(base, field, id), id), await answer(route, withId(base, field, NOWHERE), NOWHERE)];
    expect(theirs).toEqual(nowhere);
  });

  it.each(routes)("%s with x-zitadel-orgid of another organization", async (rpc, route) => {
    const base = await requestFor(rpc, { id: owner.id, homeOrg: ts.orgId });
    const [theirs, nowhere] = [
      await answer(route, base, otherOrg, { ...owner.headers, "x-zitadel-orgid": otherOrg }),
      await answer(route, base, NOWHERE, { ...owner.headers, "x-zitadel-orgid": NOWHERE }),
    ];
    expect(theirs).toEqual(nowhere);
    expect(nowhere).toHaveProperty("code");
  });
});

describe("AddOrganizationMember takes a principal of another organization only from a caller who may see it", () => {
  const add = (principal: { case: "userId" | "identityId"; value: string }, headers: Headers) =>
    w.c.orgs.addOrganizationMember({ principal, roles: ["ORG_OWNER_VIEWER"] }, { headers });

  it("from the instance administrator", async () => {
    await add({ case: "userId", value: (await w.newUser("seen-by-admin", otherOrg)).id }, w.admin.headers);
    await add({ case: "identityId", value: (await w.newIdentity("bot-seen-by-admin", otherOrg)).id }, w.admin.headers);
  });

  it("from a caller holding a role in the principal's organization", async () => {
    const both = await w.newUser("both");
    for (const org of [ts.orgId, otherOrg]) {
      await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: both.id }, roles: ["ORG_OWNER"] }, auth(ts.adminToken, org));
    }
    await add({ case: "userId", value: (await w.newUser("seen-by-both", otherOrg)).id }, both.as.headers);
  });

  it("but not from an owner of this organization alone, which gets the answer of an id that exists nowhere", async () => {
    const id = (await w.newUser("unseen", otherOrg)).id;
    const route = ROUTES.get("membership.v1.OrganizationService/AddOrganizationMember")!;
    const request = (v: string) => ({ principal: { case: "userId", value: v }, roles: ["ORG_OWNER_VIEWER"] });
    const [theirs, nowhere] = [await answer(route, request(id), id), await answer(route, request(NOWHERE), NOWHERE)];
    expect(theirs).toEqual(nowhere);
    expect(nowhere).toMatchObject({ code: 5 });
  });
});
