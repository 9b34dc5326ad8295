// Failures on Infisical's paths: Infisical's error body {reqId, statusCode,
// message, error} with its status and error name, the field named in the
// message, nothing written by a refused call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, REST_CLIENTS, type RestCall, type RestResponse } from "../helpers/rest-clients.ts";
import { startWorld, type World } from "../helpers/fixtures.ts";

/** Infisical's error body, field by field; reqId is the request id the server answers in x-request-id. */
function expectError(r: RestResponse, statusCode: number, error: string, message?: RegExp) {
  expect(r.status).toBe(statusCode);
  expect(Object.keys(r.json)).toEqual(["reqId", "statusCode", "message", "error"]);
  expect(r.json).toMatchObject({ reqId: r.headers["x-request-id"], statusCode, error });
  expect(typeof r.json.message).toBe("string");
  if (message) expect(r.json.message).toMatch(message);
}

describe("Infisical errors", () => {
  let w: World;
  let rest: RestCall;
  let raw: RestCall;
  let admin: Record<string, string>;
  let projectId: string;
  let bot: { id: string };
  let path: string;
  beforeAll(async () => {
    w = await startWorld();
    rest = REST_CLIENTS[0]!.make(w.ts.url);
    raw = REST_CLIENTS[1]!.make(w.ts.url);
    admin = bearer(w.ts.adminToken);
    projectId = await w.newProject();
    bot = await w.newIdentity();
    path = `/api/v1/projects/${projectId}/identity-memberships/${bot.id}`;
  });
  afterAll(() => w.close());

  const nothingWritten = async () => expect((await w.c.members.listMemberships({ projectId }, w.admin)).memberships).toEqual([]);

  it.each([
    ["a temporary role without its range", { roles: [{ role: "admin", isTemporary: true, temporaryMode: "relative", temporaryAccessStartTime: "2030-01-01T00:00:00Z" }] }, /^roles\[0\]\.temporaryRange: /],
    ["a range that is not one", { roles: [{ role: "admin", isTemporary: true, temporaryMode: "relative", temporaryRange: "soon", temporaryAccessStartTime: "2030-01-01T00:00:00Z" }] }, /^roles\[0\]\.temporaryRange: /],
    ["a start time that is not a date-time", { roles: [{ role: "admin", isTemporary: true, temporaryMode: "relative", temporaryRange: "1h", temporaryAccessStartTime: "tomorrow" }] }, /^roles\[0\]\.temporaryAccessStartTime: /],
    ["another temporary mode", { roles: [{ role: "admin", isTemporary: true, temporaryMode: "absolute", temporaryRange: "1h", temporaryAccessStartTime: "2030-01-01T00:00:00Z" }] }, /^roles\[0\]\.temporaryMode: /],
    ["a window on a permanent role", { roles: [{ role: "admin", temporaryRange: "1h" }] }, /^roles\[0\]\.temporaryRange: /],
    ["an unknown role in roles", { roles: [{ role: "viewer" }, { role: "ghost" }] }, /^roles\[1\]\.role: .*ghost/],
    ["an unknown single role", { role: "ghost" }, /^role: .*ghost/],
    ["the placeholder custom as a role", { role: "custom" }, /^role: /],
    ["a field Infisical does not have", { role: "viewer", rol: "x" }, /^rol: /],
    ["roles that is not a list", { roles: "admin" }, /^roles: /],
    ["a body that is not JSON", "{nope", /^body: /],
  ])("POST with %s: 400 BadRequest naming the field, nothing written", async (_name, body, message) => {
    expectError(await rest("POST", path, { headers: admin, body }), 400, "BadRequest", message);
    await nothingWritten();
  });

  it("PATCH without roles, or with none: 400 naming roles", async () => {
    await w.c.members.createIdentityMembership({ projectId, identityId: bot.id, role: "viewer" }, w.admin);
    try {
      expectError(await rest("PATCH", path, { headers: admin, body: {} }), 400, "BadRequest", /^roles: /);
      expectError(await rest("PATCH", path, { headers: admin, body: { roles: [] } }), 400, "BadRequest", /^roles: /);
      expectError(await rest("POST", path, { headers: admin, body: { role: "viewer" } }), 400, "BadRequest", /already/);
    } finally {
      await w.c.members.deleteIdentityMembership({ projectId, identityId: bot.id }, w.admin);
    }
  });

  it.each([
    ["limit=0", /^limit: /],
    ["limit=20001", /^limit: /],
    ["offset=-1", /^offset: /],
    ["orderBy=createdAt", /^orderBy: /],
    ["orderDirection=up", /^orderDirection: /],
    ["sort=name", /^sort: /],
  ])("GET list with %s: 400 naming the parameter", async (query, message) => {
    expectError(await rest("GET", `/api/v1/projects/${projectId}/identity-memberships?${query}`, { headers: admin }), 400, "BadRequest", message);
  });

  it("401 UnauthorizedError without a token or with an unknown one, over fetch and a raw HTTP/1.1 request", async () => {
    for (const call of [rest, raw]) {
      expectError(await call("POST", path, { body: { role: "viewer" } }), 401, "UnauthorizedError");
      expectError(await call("GET", `/api/v1/workspace/${projectId}/memberships`, { headers: { authorization: "Bearer nope" } }), 401, "UnauthorizedError");
    }
    await nothingWritten();
  });

  it("403 PermissionDenied for a caller without the permission, before its body is read", async () => {
    const viewer = await w.newUser();
    await w.c.members.addProjectMember({ projectId, userId: viewer.id, roles: ["viewer"] }, w.admin);
    try {
      expectError(await rest("POST", path, { headers: bearer(viewer.token), body: "{not even json" }), 403, "PermissionDenied", /project\.member\.write/);
      expectError(await rest("GET", `/api/v1/projects/${projectId}/identity-memberships`, { headers: bearer(viewer.token) }), 403, "PermissionDenied");
      const outsider = await w.newUser();
      expectError(await raw("GET", `/api/v1/workspace/${projectId}/memberships`, { headers: bearer(outsider.token) }), 403, "PermissionDenied");
    } finally {
      await w.c.members.removeProjectMember({ projectId, userId: viewer.id }, w.admin);
    }
  });

  it("404 NotFound for an unknown project, a project of another organization, an unknown identity and a non-member", async () => {
    const other = await w.newProject(undefined, await w.newOrg());
    expectError(await rest("POST", `/api/v1/projects/nope/identity-memberships/${bot.id}`, { headers: admin, body: {} }), 404, "NotFound");
    expectError(await rest("GET", `/api/v2/workspace/${other}/identity-memberships`, { headers: admin }), 404, "NotFound");
    expectError(await rest("GET", `/api/v1/workspace/nope/memberships`, { headers: admin }), 404, "NotFound");
    expectError(await rest("POST", `/api/v1/projects/${projectId}/identity-memberships/nobody`, { headers: admin, body: {} }), 404, "NotFound");
    expectError(await rest("DELETE", path, { headers: admin }), 404, "NotFound");
    expectError(await rest("PATCH", path, { headers: admin, body: { roles: [{ role: "admin" }] } }), 404, "NotFound");
    await nothingWritten();
  });

  it("a known path with another method answers 405 with Allow, in Infisical's body", async () => {
    const r = await rest("PUT", path, { headers: admin, body: {} });
    expectError(r, 405, "MethodNotAllowed");
    expect(r.headers.allow).toBe("DELETE, PATCH, POST");
    expect((await rest("GET", "/api/v1/projects/x/nothing-here", { headers: admin })).json).toEqual({ code: "unimplemented", message: "unknown method /api/v1/projects/x/nothing-here" });
  });
});

describe("Infisical errors at the edge's limits", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ readMaxBytes: 1024 });
  });
  afterAll(() => w.close());

  it("a body over --read-max-bytes answers 413 in Infisical's body, nothing written", async () => {
    const projectId = await w.newProject();
    const bot = await w.newIdentity();
    const rest = REST_CLIENTS[0]!.make(w.ts.url);
    const r = await rest("POST", `/api/v1/projects/${projectId}/identity-memberships/${bot.id}`, { headers: bearer(w.ts.adminToken), body: { role: "x".repeat(2000) } });
    expectError(r, 413, "PayloadTooLarge");
    expect((await w.c.members.listMemberships({ projectId }, w.admin)).memberships).toEqual([]);
  });
});
