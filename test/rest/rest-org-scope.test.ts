// x-zitadel-orgid on the REST paths. ZITADEL's own gateway ignores it on
// management v1 (its issue #12482); here every REST path honours it, as
// every RPC does: absent means the caller's organization, the caller's own
// organization means the same, a foreign one works only where the caller
// holds a role there, and one that does not exist is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestTable, type RestEntry } from "../../src/edge/rest/rest-table.ts";
import { allRoutes } from "../../scripts/rpc-table.ts";
import { createWorld, type World } from "../helpers/fixtures.ts";
import { bearer, REST_CLIENTS, type RestCall } from "../helpers/rest-clients.ts";
import { auth, startTestServer, type TestServer } from "../helpers/server.ts";

const NO_SUCH_ORG = "424242424242424242";
const entries = createRestTable(allRoutes()).entries;

/** A concrete request for a binding: every path variable "1", an empty JSON body where the binding takes one. */
function requestFor(e: RestEntry): [string, string, unknown] {
  const t = e.binding.template;
  const path = "/" + t.segments.map((s) => (s.kind === "literal" ? s.text : "1")).join("/") + (t.verb === undefined ? "" : `:${t.verb}`);
  return [e.binding.httpMethod, path, e.binding.body.kind === "none" ? undefined : {}];
}

describe("x-zitadel-orgid on REST paths", () => {
  let ts: TestServer;
  let w: World;
  let rest: RestCall;
  let orgB: string;
  let outsider: { id: string; token: string };
  beforeAll(async () => {
    ts = await startTestServer();
    w = await createWorld(ts);
    rest = REST_CLIENTS[0]!.make(ts.url);
    orgB = await w.newOrg();
    outsider = await w.newUser();
  });
  afterAll(() => ts.close());

  it("covers every unary RPC but health with at least one REST path", () => {
    const served = new Set(entries.map((e) => e.route.method.name + "@" + e.route.method.parent.typeName));
    const unary = allRoutes().filter((r) => r.kind === "unary" && !r.method.parent.typeName.startsWith("grpc.health"));
    expect(served.size).toBe(unary.length);
    expect(entries.length).toBeGreaterThan(unary.length); // plus an additional binding
  });

  it.each(entries.map((e) => [requestFor(e).slice(0, 2).join(" "), e] as const))("%s: refuses a nonexistent organization, and a foreign one without a role there", async (_name, e) => {
    const [method, path, body] = requestFor(e);
    const missing = await rest(method, path, { headers: bearer(ts.adminToken, NO_SUCH_ORG), body });
    expect([missing.status, missing.json.code]).toEqual([403, 7]);
    const foreign = await rest(method, path, { headers: bearer(outsider.token, orgB), body });
    expect([foreign.status, foreign.json.code]).toEqual([403, 7]);
    const absent = await rest(method, path, { headers: bearer(ts.adminToken), body });
    const own = await rest(method, path, { headers: bearer(ts.adminToken, ts.orgId), body });
    expect([own.status, own.json.code]).toEqual([absent.status, absent.json.code]);
  });

  it("native: creates and lists in the organization the header names, and only there", async () => {
    const created = await rest("POST", "/v1/projects", { headers: bearer(ts.adminToken, orgB), body: { name: "In B" } });
    expect(created.json.project.organizationId).toBe(orgB);
    const ids = async (orgId?: string) => (await rest("GET", "/v1/projects", { headers: bearer(ts.adminToken, orgId) })).json.projects.map((p: { id: string }) => p.id);
    expect(await ids(orgB)).toContain(created.json.project.id);
    expect(await ids()).not.toContain(created.json.project.id);
    expect(await ids(ts.orgId)).not.toContain(created.json.project.id);
  });

  it("ZITADEL: a member of a project in another organization is written and listed with the header only", async () => {
    const projectId = await w.newProject(undefined, orgB);
    const user = await w.newUser(undefined, orgB);
    const members = `/management/v1/projects/${projectId}/members`;
    const withoutHeader = await rest("POST", members, { headers: bearer(ts.adminToken), body: { userId: user.id, roles: ["PROJECT_OWNER"] } });
    expect([withoutHeader.status, withoutHeader.json.details[0].id]).toEqual([400, "PROJECT-NOT-FOUND"]);
    const added = await rest("POST", members, { headers: bearer(ts.adminToken, orgB), body: { userId: user.id, roles: ["PROJECT_OWNER"] } });
    expect([added.status, added.json.details.resourceOwner]).toEqual([200, orgB]);
    const listed = await rest("POST", `${members}/_search`, { headers: bearer(ts.adminToken, orgB), body: {} });
    expect(listed.json.result.map((m: { userId: string }) => m.userId)).toEqual([user.id]);
    expect((await rest("POST", `${members}/_search`, { headers: bearer(ts.adminToken), body: {} })).status).toBe(404);
  });

  it("a user with a role in another organization acts there with the header, not in a third", async () => {
    const u = await w.newUser();
    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: u.id }, roles: ["ORG_OWNER"] }, auth(ts.adminToken, orgB));
    const orgC = await w.newOrg();
    const inB = await rest("POST", "/v1/projects", { headers: bearer(u.token, orgB), body: { name: "by a guest" } });
    expect([inB.status, inB.json.project?.organizationId]).toEqual([200, orgB]);
    const inC = await rest("POST", "/v1/projects", { headers: bearer(u.token, orgC), body: { name: "nope" } });
    expect([inC.status, inC.json.code]).toEqual([403, 7]);
    const home = await rest("POST", "/v1/projects", { headers: bearer(u.token), body: { name: "at home" } });
    expect([home.status, home.json.code]).toEqual([403, 7]); // no role in its own organization
  });
});
