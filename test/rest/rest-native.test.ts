// The native API over REST (google.api.http on membership.v1), with plain
// HTTP clients over HTTP/1.1 and HTTP/2: bodies compared field by field with
// what gRPC answers for the same call, errors included, and a member added
// one way listed the other.
import { toJson } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetProjectResponseSchema, ProjectService } from "../../gen/membership/v1/project_pb.js";
import { ListMembershipsResponseSchema, MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { createGrpcJsTransport, type GrpcJsTransport } from "../helpers/grpc-js-transport.ts";
import { createWorld, type World } from "../helpers/fixtures.ts";
import { bearer, REST_CLIENTS, restBodyOfGrpcError, type RestCall } from "../helpers/rest-clients.ts";
import { auth, startTestServer, type TestServer } from "../helpers/server.ts";

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const JSON_OPTS = { alwaysEmitImplicit: true };

describe.each(REST_CLIENTS)("native REST paths over $name", (client) => {
  let ts: TestServer;
  let w: World;
  let rest: RestCall;
  let grpc: GrpcJsTransport;
  let admin: Record<string, string>;
  beforeAll(async () => {
    ts = await startTestServer();
    w = await createWorld(ts);
    rest = client.make(ts.url);
    grpc = createGrpcJsTransport(ts.url);
    admin = bearer(ts.adminToken);
  });
  afterAll(async () => {
    grpc.close();
    await ts.close();
  });

  it("creates a project and reads it back as gRPC reads it, field by field", async () => {
    const created = await rest("POST", "/v1/projects", { headers: admin, body: { name: "Payments", description: "cards" } });
    expect(created.status).toBe(200);
    expect(created.headers["content-type"]).toBe("application/json");
    const p = created.json.project;
    expect(Object.keys(p).sort()).toEqual(["createdAt", "description", "id", "name", "organizationId"]);
    expect(p).toMatchObject({ name: "Payments", description: "cards", organizationId: ts.orgId });
    expect(p.id).toMatch(/^\d+$/);
    expect(p.createdAt).toMatch(RFC3339);
    const got = await rest("GET", `/v1/projects/${p.id}`, { headers: admin });
    const viaGrpc = await createClient(ProjectService, grpc).getProject({ projectId: p.id }, auth(ts.adminToken));
    expect(got.json).toEqual({ project: p });
    expect(got.json).toEqual(toJson(GetProjectResponseSchema, viaGrpc, JSON_OPTS));
  });

  it("lists over gRPC the member added over REST, and over REST the one added over gRPC", async () => {
    const [a, b] = [await w.newUser(), await w.newUser()];
    const added = await rest("POST", `/v1/projects/${w.projectId}/members`, { headers: admin, body: { userId: a.id, roles: ["viewer"] } });
    expect(added.status).toBe(200);
    expect(added.json.details.sequence).toMatch(/^\d+$/); // uint64 as a string
    const members = createClient(MembershipService, grpc);
    await members.addProjectMember({ projectId: w.projectId, userId: b.id, roles: ["member"] }, auth(ts.adminToken));
    const overGrpc = await members.listMemberships({ projectId: w.projectId }, auth(ts.adminToken));
    const overRest = await rest("GET", `/v1/projects/${w.projectId}/memberships`, { headers: admin });
    expect(overRest.json).toEqual(toJson(ListMembershipsResponseSchema, overGrpc, JSON_OPTS));
    const roles = (id: string) => overRest.json.memberships.find((m: { userId: string }) => m.userId === id)?.roles.map((r: { role: string }) => r.role);
    expect([roles(a.id), roles(b.id)]).toEqual([["viewer"], ["member"]]);
  });

  it("replaces roles with PUT, removes with DELETE, and filters by query parameters", async () => {
    const u = await w.newUser();
    const base = `/v1/projects/${w.projectId}/members/${u.id}`;
    await rest("POST", `/v1/projects/${w.projectId}/members`, { headers: admin, body: { userId: u.id, roles: ["viewer"] } });
    expect((await rest("PUT", base, { headers: admin, body: { roles: ["member"] } })).status).toBe(200);
    const active = `/v1/projects/${w.projectId}/memberships?filter.role=member&filter.statuses=MEMBERSHIP_STATUS_ACTIVE`;
    expect((await rest("GET", active, { headers: admin })).json.memberships.map((m: { userId: string }) => m.userId)).toContain(u.id);
    expect((await rest("DELETE", base, { headers: admin })).status).toBe(200);
    const gone = `/v1/projects/${w.projectId}/memberships?filter.statuses=4&filter.email_prefix=${encodeURIComponent(u.email)}`;
    const deactivated = (await rest("GET", gone, { headers: admin })).json.memberships;
    expect(deactivated.map((m: { userId: string; status: string }) => [m.userId, m.status])).toEqual([[u.id, "MEMBERSHIP_STATUS_DEACTIVATED"]]);
  });

  it("serves a custom verb and an additional binding", async () => {
    const created = await w.c.tokens.createToken({ principal: { case: "userId", value: (await w.newUser()).id } }, w.admin);
    const revoked = await rest("POST", `/v1/tokens/${created.token!.id}:revoke`, { headers: admin, body: {} });
    expect(revoked.status).toBe(200);
    const bot = await w.newIdentity();
    await w.c.orgs.addOrganizationMember({ principal: { case: "identityId", value: bot.id }, roles: ["ORG_USER_MANAGER"] }, w.admin);
    expect((await rest("DELETE", `/v1/organization/members/identities/${bot.id}`, { headers: admin })).status).toBe(200);
    const left = await w.c.orgs.listOrganizationMembers({}, w.admin);
    expect(left.members.map((m) => m.principalId)).not.toContain(bot.id);
  });

  describe("errors: grpc-gateway's status and google.rpc.Status body, as gRPC words them", () => {
    it("400 for a body that does not decode, naming it", async () => {
      const res = await rest("POST", "/v1/projects", { headers: admin, body: { name: "x", colour: "red" } });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ code: 3, message: expect.stringMatching(/^request body: .*colour/), details: [] });
    });

    it("authorizes before it validates: a refused caller learns nothing of its body's faults", async () => {
      const u = await w.newUser();
      const bad = { name: 7, colour: "red" };
      const anonymous = await rest("POST", `/v1/projects/${w.projectId}/members`, { headers: bearer("mbr_nope"), body: bad });
      const outsider = await rest("POST", `/v1/projects/${w.projectId}/members`, { headers: bearer(u.token), body: bad });
      expect([anonymous.status, outsider.status]).toEqual([401, 403]);
      expect((await rest("POST", `/v1/projects/${w.projectId}/members`, { headers: admin, body: bad })).status).toBe(400);
    });

    it("401 without a valid token", async () => {
      const res = await rest("GET", "/v1/projects", { headers: bearer("mbr_nope") });
      const viaGrpc = await restBodyOfGrpcError(createClient(ProjectService, grpc).listProjects({}, auth("mbr_nope")));
      expect([res.status, res.json]).toEqual([401, viaGrpc]);
      expect(viaGrpc.code).toBe(16);
    });

    it("403 for a caller without the permission", async () => {
      const u = await w.newUser();
      const res = await rest("GET", `/v1/projects/${w.projectId}/memberships`, { headers: bearer(u.token) });
      const viaGrpc = await restBodyOfGrpcError(createClient(MembershipService, grpc).listMemberships({ projectId: w.projectId }, u.as));
      expect([res.status, res.json]).toEqual([403, viaGrpc]);
    });

    it("404 for a project that does not exist", async () => {
      const res = await rest("GET", "/v1/projects/4242", { headers: admin });
      const viaGrpc = await restBodyOfGrpcError(createClient(ProjectService, grpc).getProject({ projectId: "4242" }, auth(ts.adminToken)));
      expect([res.status, res.json]).toEqual([404, viaGrpc]);
    });

    it("409 for a member added twice", async () => {
      const u = await w.newUser();
      const path = `/v1/projects/${w.projectId}/members`;
      expect((await rest("POST", path, { headers: admin, body: { userId: u.id } })).status).toBe(200);
      const res = await rest("POST", path, { headers: admin, body: { userId: u.id } });
      const viaGrpc = await restBodyOfGrpcError(createClient(MembershipService, grpc).addProjectMember({ projectId: w.projectId, userId: u.id }, auth(ts.adminToken)));
      expect([res.status, res.json]).toEqual([409, viaGrpc]);
    });

    it("405 with Allow for a known path and another method; 404 for an unknown path", async () => {
      const res = await rest("PATCH", `/v1/projects/${w.projectId}/members/1`, { headers: admin, body: {} });
      expect(res.status).toBe(405);
      expect(res.headers["allow"]).toBe("DELETE, PUT");
      expect(res.json).toEqual({ code: 12, message: expect.stringContaining("DELETE, PUT"), details: [] });
      expect((await rest("GET", "/v1/nothing-here", { headers: admin })).status).toBe(404);
      expect((await rest("GET", "/v1/projects/1/members/1/extra", { headers: admin })).status).toBe(404);
    });
  });
});
