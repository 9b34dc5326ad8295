// x-zitadel-orgid on every Infisical path, as on every RPC: absent means the
// caller's organization and naming it changes nothing; a foreign
// organization is entered only where the caller holds a role there, and
// then a project of the caller's own organization is not found in it; an
// organization that does not exist is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { infisicalApi } from "../../src/compat/infisical/infisical-routes.ts";
import { bearer, REST_CLIENTS, type RestCall } from "../helpers/rest-clients.ts";
import { startWorld, type World } from "../helpers/fixtures.ts";

const NO_SUCH_ORG = "424242424242424242";
const routes = infisicalApi({} as never).routes;

describe("x-zitadel-orgid on Infisical's paths", () => {
  let w: World;
  let rest: RestCall;
  let orgB: string;
  let outsider: { token: string };
  let projectA: string;
  let projectB: string;
  let identityA: string;
  let identityB: string;
  beforeAll(async () => {
    w = await startWorld();
    rest = REST_CLIENTS[0]!.make(w.ts.url);
    orgB = await w.newOrg();
    outsider = await w.newUser();
    projectA = await w.newProject();
    identityA = (await w.newIdentity()).id;
    projectB = await w.newProject(undefined, orgB);
    identityB = (await w.newIdentity(undefined, orgB)).id;
  });
  afterAll(() => w.close());

  it("serves the nine paths of Infisical's membership API", () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      "DELETE /api/v1/projects/{projectId}/identity-memberships/{identityId}",
      "DELETE /api/v2/workspace/{projectId}/identity-memberships/{identityId}",
      "GET /api/v1/projects/{projectId}/identity-memberships",
      "GET /api/v1/workspace/{workspaceId}/memberships",
      "GET /api/v2/workspace/{projectId}/identity-memberships",
      "PATCH /api/v1/projects/{projectId}/identity-memberships/{identityId}",
      "PATCH /api/v2/workspace/{projectId}/identity-memberships/{identityId}",
      "POST /api/v1/projects/{projectId}/identity-memberships/{identityId}",
      "POST /api/v2/workspace/{projectId}/identity-memberships/{identityId}",
    ]);
  });

  /** The route's path for a project and identity, and a body where it takes one. */
  const request = (r: (typeof routes)[number], projectId: string, identityId: string) => {
    const path = r.path.replace("{projectId}", projectId).replace("{workspaceId}", projectId).replace("{identityId}", identityId);
    const body = r.method === "POST" ? { role: "viewer" } : r.method === "PATCH" ? { roles: [{ role: "member" }] } : undefined;
    return { path, body };
  };

  /** Every route in its order of use: create, change, list, remove. */
  const ordered = () => ["POST", "PATCH", "GET", "DELETE"].flatMap((m) => routes.filter((r) => r.method === m));

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))("%s: a nonexistent organization, and a foreign one without a role there, are refused with 403", async (_name, r) => {
    const { path, body } = request(r, projectA, identityA);
    for (const [token, org] of [[w.ts.adminToken, NO_SUCH_ORG], [outsider.token, orgB]] as const) {
      const res = await rest(r.method, path, { headers: bearer(token, org), body });
      expect([res.status, res.json.error]).toEqual([403, "PermissionDenied"]);
      expect(res.json.message).toMatch(/does not exist or the caller holds no role in it/);
    }
    expect((await w.c.members.listMemberships({ projectId: projectA }, w.admin)).memberships).toEqual([]);
  });

  for (const v of ["v1", "v2"]) {
    it(`${v}: the header absent and naming the caller's own organization act alike, in that organization`, async () => {
      for (const org of [undefined, w.ts.orgId]) {
        for (const r of ordered().filter((x) => x.path.includes(v === "v1" ? "/api/v1/" : "/api/v2/"))) {
          const { path, body } = request(r, projectA, identityA);
          const res = await rest(r.method, path, { headers: bearer(w.ts.adminToken, org), body });
          expect([r.method, r.path, res.status]).toEqual([r.method, r.path, 200]);
        }
      }
    });

    it(`${v}: a foreign organization the caller may enter acts there: its projects are found, the caller's own are not`, async () => {
      for (const r of ordered().filter((x) => x.path.includes(v === "v1" ? "/api/v1/" : "/api/v2/"))) {
        const inB = request(r, projectB, identityB);
        expect([r.method, r.path, (await rest(r.method, inB.path, { headers: bearer(w.ts.adminToken, orgB), body: inB.body })).status]).toEqual([r.method, r.path, 200]);
        const aFromB = request(r, projectA, identityA);
        const res = await rest(r.method, aFromB.path, { headers: bearer(w.ts.adminToken, orgB), body: aFromB.body });
        expect([r.method, r.path, res.status, res.json.error]).toEqual([r.method, r.path, 404, "NotFound"]);
      }
      // An identity of another organization is not one of this organization's.
      const cross = await rest("POST", `/api/${v === "v1" ? "v1/projects" : "v2/workspace"}/${projectB}/identity-memberships/${identityA}`, { headers: bearer(w.ts.adminToken, orgB), body: {} });
      expect([cross.status, cross.json.error]).toEqual([404, "NotFound"]);
    });
  }
});
