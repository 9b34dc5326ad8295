// ZITADEL's management v1 member RPCs on ZITADEL's REST paths (under
// /management/v1), with plain HTTP clients over HTTP/1.1 and HTTP/2. Every
// answer is read back with ZITADEL's own published schema (@zitadel/proto),
// which refuses a JSON name it does not know, and compared with what
// ZITADEL's client gets over gRPC for the same call.
import { fromJson, type DescMessage } from "@bufbuild/protobuf";
import {
  AddProjectMemberResponseSchema,
  ListProjectMemberRolesResponseSchema,
  ListProjectMembersResponseSchema,
} from "@zitadel/proto/zitadel/management_pb.js";
import { TextQueryMethod } from "@zitadel/proto/zitadel/object_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, REST_CLIENTS, restBodyOfGrpcError, type RestCall } from "../helpers/rest-clients.ts";
import type { TestServer } from "../helpers/server.ts";
import { startWorld, type World } from "../helpers/fixtures.ts";
import { ZITADEL_PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { zitadelClients, type ManagementClient, type ZitadelClients } from "../helpers/zitadel-client.ts";

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const as = <D extends DescMessage>(schema: D, json: unknown) => fromJson(schema, json as never);
const withoutViewTime = (m: { details?: { viewTimestamp?: unknown } }) => ({ ...m, details: { ...m.details, viewTimestamp: undefined } });

describe.each(REST_CLIENTS)("ZITADEL management v1 over REST with $name", (client) => {
  let ts: TestServer;
  let w: World & ZitadelClients;
  let rest: RestCall;
  /** ZITADEL's published client over gRPC (h2c), as the instance administrator. */
  let z: ManagementClient;
  let admin: Record<string, string>;
  const base = "/management/v1";
  beforeAll(async () => {
    w = await startWorld({ protocol: ZITADEL_PROTOCOLS[0]! }, zitadelClients);
    ts = w.ts;
    rest = client.make(ts.url);
    z = w.z;
    admin = bearer(ts.adminToken);
  });
  afterAll(() => w.close());

  it("AddProjectMember: POST /projects/{project_id}/members with {userId, roles} answers {details}", async () => {
    const projectId = await w.newProject();
    const user = await w.newUser();
    const res = await rest("POST", `${base}/projects/${projectId}/members`, { headers: admin, body: { userId: user.id, roles: ["PROJECT_OWNER"] } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(["details"]);
    expect(Object.keys(res.json.details).sort()).toEqual(["creationDate", "resourceOwner", "sequence"]);
    expect(res.json.details.sequence).toMatch(/^\d+$/);
    expect(res.json.details.creationDate).toMatch(RFC3339);
    expect(res.json.details.resourceOwner).toBe(ts.orgId);
    expect(as(AddProjectMemberResponseSchema, res.json).details?.resourceOwner).toBe(ts.orgId);
    const listed = await z.listProjectMembers({ projectId });
    expect(listed.result.map((m) => [m.userId, m.roles])).toEqual([[user.id, ["PROJECT_OWNER"]]]);
  });

  it("ListProjectMembers: POST /projects/{project_id}/members/_search answers what gRPC answers", async () => {
    const projectId = await w.newProject();
    const [a, b] = [await w.newUser(), await w.newUser()];
    await z.addProjectMember({ projectId, userId: a.id, roles: ["PROJECT_OWNER_VIEWER"] });
    await rest("POST", `${base}/projects/${projectId}/members`, { headers: admin, body: { userId: b.id, roles: ["PROJECT_OWNER"] } });
    const body = { query: { offset: "0", limit: 10, asc: true }, queries: [{ emailQuery: { email: "example.com", method: "TEXT_QUERY_METHOD_ENDS_WITH" } }] };
    const res = await rest("POST", `${base}/projects/${projectId}/members/_search`, { headers: admin, body });
    expect(res.status).toBe(200);
    expect(res.json.details.totalResult).toBe("2");
    expect(res.json.result.map((m: { userId: string }) => m.userId).sort()).toEqual([a.id, b.id].sort());
    const emailQuery = { email: "example.com", method: TextQueryMethod.ENDS_WITH };
    const viaGrpc = await z.listProjectMembers({ projectId, query: { limit: 10, asc: true }, queries: [{ query: { case: "emailQuery", value: emailQuery } }] });
    expect(withoutViewTime(as(ListProjectMembersResponseSchema, res.json))).toEqual(withoutViewTime(viaGrpc));
  });

  it("UpdateProjectMember: PUT /projects/{project_id}/members/{user_id} replaces the roles gRPC then lists", async () => {
    const projectId = await w.newProject();
    const user = await w.newUser();
    await z.addProjectMember({ projectId, userId: user.id, roles: ["PROJECT_OWNER"] });
    const res = await rest("PUT", `${base}/projects/${projectId}/members/${user.id}`, { headers: admin, body: { roles: ["PROJECT_OWNER_VIEWER"] } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.details).sort()).toEqual(["changeDate", "resourceOwner", "sequence"]);
    const listed = await z.listProjectMembers({ projectId });
    expect(listed.result.map((m) => m.roles)).toEqual([["PROJECT_OWNER_VIEWER"]]);
  });

  it("RemoveProjectMember: DELETE /projects/{project_id}/members/{user_id}, gone over gRPC", async () => {
    const projectId = await w.newProject();
    const user = await w.newUser();
    await z.addProjectMember({ projectId, userId: user.id, roles: [] });
    const res = await rest("DELETE", `${base}/projects/${projectId}/members/${user.id}`, { headers: admin });
    expect(res.status).toBe(200);
    expect(res.json.details.resourceOwner).toBe(ts.orgId);
    expect((await z.listProjectMembers({ projectId })).result).toEqual([]);
  });

  it("ListProjectMemberRoles: POST /projects/members/roles/_search, body or none", async () => {
    const viaGrpc = await z.listProjectMemberRoles({});
    for (const body of [undefined, {}]) {
      const res = await rest("POST", `${base}/projects/members/roles/_search`, { headers: admin, body });
      expect(res.status).toBe(200);
      expect(res.json.result).toEqual(["PROJECT_OWNER", "PROJECT_OWNER_VIEWER", "PROJECT_OWNER_GLOBAL", "PROJECT_OWNER_VIEWER_GLOBAL"]);
      expect(withoutViewTime(as(ListProjectMemberRolesResponseSchema, res.json))).toEqual(withoutViewTime(viaGrpc));
    }
  });

  describe("errors: ZITADEL's gateway body with its ErrorDetail, and grpc-gateway's status", () => {
    it.each([
      ["409 for a member added twice", 409, "already"],
      ["400 for a user that does not exist (FAILED_PRECONDITION)", 400, "no-user"],
      ["404 for a project of no organization of the caller", 404, "no-project-read"],
      ["401 for an unknown token", 401, "bad-token"],
      ["403 for a caller without the permission", 403, "no-permission"],
    ])("%s, as gRPC words it", async (_what, status, kind) => {
      const projectId = await w.newProject();
      const user = await w.newUser();
      let token = ts.adminToken;
      if (kind === "already") await z.addProjectMember({ projectId, userId: user.id });
      if (kind === "bad-token") token = "mbr_unknown";
      if (kind === "no-permission") token = await w.tokenFor(user.id);
      const userId = kind === "no-user" ? "4242" : user.id;
      const caller = w.zAs(token);
      const [res, expected] =
        kind === "no-project-read"
          ? [await rest("POST", `${base}/projects/4242/members/_search`, { headers: bearer(token), body: {} }), await restBodyOfGrpcError(caller.listProjectMembers({ projectId: "4242" }))]
          : [await rest("POST", `${base}/projects/${projectId}/members`, { headers: bearer(token), body: { userId } }), await restBodyOfGrpcError(caller.addProjectMember({ projectId, userId }))];
      expect(res.status).toBe(status);
      expect(res.json).toEqual(expected);
      expect(res.json.details).toHaveLength(1);
      expect(res.json.message.endsWith(` (${res.json.details[0].id})`)).toBe(true);
    });

    it("400 with ErrorDetail for a body that does not decode", async () => {
      const res = await rest("POST", `${base}/projects/1/members`, { headers: admin, body: { userId: 7 } });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        code: 3,
        message: expect.stringMatching(/^request body: .* \(REQUEST-INVALID-FIELD\)$/),
        details: [{ "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", id: "REQUEST-INVALID-FIELD", message: expect.stringMatching(/^request body: /) }],
      });
    });

    it("405 with Allow for a member path and another method", async () => {
      const res = await rest("GET", `${base}/projects/1/members/2`, { headers: admin });
      expect([res.status, res.headers["allow"]]).toEqual([405, "DELETE, PUT"]);
      const search = await rest("GET", `${base}/projects/members/roles/_search`, { headers: admin });
      expect([search.status, search.headers["allow"]]).toEqual([405, "POST"]);
    });
  });
});
