// ZITADEL's InternalPermissionService on its REST paths (/v2beta/administrators…),
// called with plain fetch. Bodies are compared field by field with the JSON
// ZITADEL's gateway writes (camelCase names, int64 as strings, RFC 3339
// timestamps, fields at their default left out), and with what ZITADEL's
// published client reads over gRPC for the same call. Writes through REST
// are seen by v1 and the native API, and the reverse.
import { fromJson, toJson, type JsonObject } from "@bufbuild/protobuf";
import {
  CreateAdministratorRequestSchema,
  ListAdministratorsResponseSchema,
  UpdateAdministratorRequestSchema,
} from "@zitadel/proto/zitadel/internal_permission/v2beta/internal_permission_service_pb.js";
import { describe, expect, it } from "vitest";
import { useWorld } from "../helpers/fixtures.ts";
import { bearer, REST_CLIENTS, restBodyOfGrpcError } from "../helpers/rest-clients.ts";
import { auth } from "../helpers/server.ts";
import { zitadelV2Clients } from "../helpers/zitadel-v2-client.ts";

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const TIME = expect.stringMatching(RFC3339);
const ADMINS = "/v2beta/administrators";
const onProject = (projectId: string) => ({ resource: { projectId } });
const onOrg = (organizationId: string) => ({ resource: { organizationId } });

describe("InternalPermissionService over REST with fetch", () => {
  const w = useWorld({ per: "suite" }, zitadelV2Clients);
  const rest = (method: string, path: string, body?: unknown, headers = bearer(w.ts.adminToken)) => REST_CLIENTS[0]!.make(w.ts.url)(method, path, { headers, body });
  const v1Members = async (projectId: string, orgId?: string) =>
    (await (orgId ? w.zIn(orgId) : w.z).listProjectMembers({ projectId })).result.map((m) => [m.userId, [...m.roles].sort()]);

  it("Create, Update, List and Delete a project administrator, each seen by v1 and the native API", async () => {
    const projectId = await w.newProject("Apollo");
    const u = await w.newUser({ firstName: "Ada", lastName: "Admin" });
    const created = await rest("POST", ADMINS, { userId: u.id, ...onProject(projectId), roles: ["PROJECT_OWNER_VIEWER"] });
    expect([created.status, created.json]).toEqual([200, { creationDate: TIME }]);
    expect(await v1Members(projectId)).toEqual([[u.id, ["PROJECT_OWNER_VIEWER"]]]);

    const updated = await rest("POST", `${ADMINS}/${u.id}`, { ...onProject(projectId), roles: ["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"] });
    expect([updated.status, updated.json]).toEqual([200, { changeDate: TIME }]);
    const native = (await w.c.members.listMemberships({ projectId }, w.admin)).memberships;
    expect(native.map((m) => [m.userId, m.roles.map((r) => r.role).sort()])).toEqual([[u.id, ["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"]]]);

    const search = { filters: [onProject(projectId)] };
    const listed = await rest("POST", `${ADMINS}/search`, search);
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({
      pagination: { totalResult: "1", appliedLimit: expect.stringMatching(/^[1-9]\d*$/) },
      administrators: [
        {
          creationDate: TIME,
          changeDate: TIME,
          user: { id: u.id, preferredLoginName: u.email, displayName: "Ada Admin", organizationId: w.ts.orgId },
          project: { id: projectId, name: "Apollo", organizationId: w.ts.orgId },
          roles: expect.arrayContaining(["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"]),
        },
      ],
    });
    const viaGrpc = await w.v2.perms.listAdministrators({ filters: [{ filter: { case: "resource", value: { resource: { case: "projectId", value: projectId } } } }] });
    expect(listed.json).toEqual(toJson(ListAdministratorsResponseSchema, viaGrpc));

    // The resource of a DELETE, which has no body, is given in the query.
    const deleted = await rest("DELETE", `${ADMINS}/${u.id}?resource.projectId=${projectId}`);
    expect([deleted.status, deleted.json]).toEqual([200, { deletionDate: TIME }]);
    expect(await v1Members(projectId)).toEqual([]);
    const again = await rest("DELETE", `${ADMINS}/${u.id}?resource.project_id=${projectId}`);
    expect([again.status, again.json]).toEqual([200, {}]);
  });

  it("organization administrators are the organization's members: written over REST, read natively, and the reverse", async () => {
    const org = await w.newOrg("Initech");
    const [a, b] = [await w.newUser({ firstName: "Org", lastName: "Owner" }, org), await w.newUser({}, org)];
    const created = await rest("POST", ADMINS, { userId: a.id, ...onOrg(org), roles: ["ORG_OWNER_VIEWER"] });
    expect([created.status, created.json]).toEqual([200, { creationDate: TIME }]);
    const updated = await rest("POST", `${ADMINS}/${a.id}`, { ...onOrg(org), roles: ["ORG_USER_MANAGER", "ORG_OWNER_VIEWER"] });
    expect([updated.status, updated.json]).toEqual([200, { changeDate: TIME }]);
    const nativeMembers = async () => (await w.c.orgs.listOrganizationMembers({}, auth(w.ts.adminToken, org))).members.map((m) => [m.principalId, [...m.roles].sort()]);
    expect(await nativeMembers()).toContainEqual([a.id, ["ORG_OWNER_VIEWER", "ORG_USER_MANAGER"]]);

    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: b.id }, roles: ["ORG_OWNER"] }, auth(w.ts.adminToken, org));
    const listed = await rest("POST", `${ADMINS}/search`, { filters: [onOrg(org), { inUserIdsFilter: { ids: [a.id, b.id] } }], sortingColumn: "ADMINISTRATOR_FIELD_NAME_USER_ID", pagination: { asc: true } });
    const expected = (id: string, roles: string[], person: { displayName: string; email: string }) => ({
      creationDate: TIME,
      changeDate: TIME,
      user: { id, preferredLoginName: person.email, displayName: person.displayName, organizationId: org },
      organization: { id: org, name: "Initech" },
      roles,
    });
    const rows = [expected(a.id, expect.arrayContaining(["ORG_USER_MANAGER", "ORG_OWNER_VIEWER"]), { email: a.email, displayName: "Org Owner" }), expected(b.id, ["ORG_OWNER"], { email: b.email, displayName: expect.any(String) })];
    expect(listed.json).toEqual({ pagination: { totalResult: "2", appliedLimit: expect.any(String) }, administrators: a.id < b.id ? rows : rows.reverse() });

    expect((await rest("DELETE", `${ADMINS}/${a.id}?resource.organizationId=${org}`)).json).toEqual({ deletionDate: TIME });
    expect((await nativeMembers()).map(([id]) => id)).not.toContain(a.id);
  });

  it("a project member added through v1 is listed over REST, with its PROJECT_* roles only", async () => {
    const projectId = await w.newProject();
    const u = await w.newUser();
    await w.z.addProjectMember({ projectId, userId: u.id, roles: ["PROJECT_OWNER"] });
    await w.c.members.updateProjectMember({ projectId, userId: u.id, roles: ["PROJECT_OWNER", "viewer"] }, w.admin);
    const listed = await rest("POST", `${ADMINS}/search`, { filters: [onProject(projectId)] });
    expect(listed.json.administrators.map((x: { user: { id: string }; roles: string[] }) => [x.user.id, x.roles])).toEqual([[u.id, ["PROJECT_OWNER"]]]);
  });

  describe("x-zitadel-orgid", () => {
    it("acts in the organization the header names: absent or own is the caller's, foreign needs a role there, nonexistent is refused", async () => {
      const orgB = await w.newOrg();
      const projectId = await w.newProject(undefined, orgB);
      const u = await w.newUser({}, orgB);
      const body = { userId: u.id, ...onProject(projectId), roles: ["PROJECT_OWNER"] };
      const absent = await rest("POST", ADMINS, body);
      expect([absent.status, absent.json.details[0].id]).toEqual([400, "PROJECT-NOT-FOUND"]);
      const own = await rest("POST", ADMINS, body, bearer(w.ts.adminToken, w.ts.orgId));
      expect([own.status, own.json]).toEqual([absent.status, absent.json]);
      const inB = await rest("POST", ADMINS, body, bearer(w.ts.adminToken, orgB));
      expect([inB.status, inB.json]).toEqual([200, { creationDate: TIME }]);
      expect(await v1Members(projectId, orgB)).toEqual([[u.id, ["PROJECT_OWNER"]]]);

      const search = { filters: [onProject(projectId)] };
      expect((await rest("POST", `${ADMINS}/search`, search, bearer(w.ts.adminToken, orgB))).json.pagination.totalResult).toBe("1");
      // Nothing found: ZITADEL's gateway leaves out the empty list and the zero total.
      expect((await rest("POST", `${ADMINS}/search`, search)).json).toEqual({ pagination: { appliedLimit: expect.any(String) } });

      const outsider = await w.newUser();
      const foreign = await rest("POST", `${ADMINS}/search`, search, bearer(outsider.token, orgB));
      expect([foreign.status, foreign.json.code, foreign.json.details[0]["@type"]]).toEqual([403, 7, "type.googleapis.com/zitadel.v1.ErrorDetail"]);
      const missing = await rest("DELETE", `${ADMINS}/${u.id}?resource.projectId=${projectId}`, undefined, bearer(w.ts.adminToken, "424242424242"));
      expect([missing.status, missing.json.code]).toEqual([403, 7]);
      expect(await v1Members(projectId, orgB)).toEqual([[u.id, ["PROJECT_OWNER"]]]);
    });
  });

  describe("errors: ZITADEL's gateway body, as its client reads the same call over gRPC, and grpc-gateway's status", () => {
    /** A failing call: the JSON body of CreateAdministrator, or of UpdateAdministrator when `update`, for a fresh project and user. */
    type Case = (c: { projectId: string; userId: string }) => { body: Record<string, unknown>; update?: true; token?: "none" | "user"; twice?: true };
    const owner = (c: { projectId: string; userId: string }) => ({ userId: c.userId, ...onProject(c.projectId), roles: ["PROJECT_OWNER"] });
    it.each<[string, number, Case]>([
      ["409 for an administrator created twice", 409, (c) => ({ body: owner(c), twice: true })],
      ["400 for a user that does not exist (FAILED_PRECONDITION)", 400, (c) => ({ body: { ...owner(c), userId: "4242" } })],
      ["400 for no roles (INVALID_ARGUMENT)", 400, (c) => ({ body: { ...owner(c), roles: [] } })],
      ["404 for updating one that is not there", 404, (c) => ({ body: owner(c), update: true })],
      ["404 for updating an organization administrator that is not there", 404, (c) => ({ body: { userId: c.userId, ...onOrg(w.ts.orgId), roles: ["ORG_OWNER_VIEWER"] }, update: true })],
      ["501 for instance administrators", 501, (c) => ({ body: { userId: c.userId, resource: { instance: true }, roles: ["IAM_OWNER"] } })],
      ["401 for an unknown token", 401, (c) => ({ body: owner(c), token: "none" })],
      ["403 for a caller without the permission", 403, (c) => ({ body: owner(c), token: "user" })],
    ])("%s", async (_what, status, make) => {
      const u = await w.newUser();
      const c = make({ projectId: await w.newProject(), userId: u.id });
      if (c.twice) await w.v2.perms.createAdministrator(fromJson(CreateAdministratorRequestSchema, c.body as JsonObject));
      const token = c.token === "none" ? "mbr_unknown" : c.token === "user" ? u.token : w.ts.adminToken;
      const perms = w.v2As(token).perms;
      // The same request over gRPC, read from the same JSON by ZITADEL's own schema.
      const [res, expected] = c.update
        ? [
            await rest("POST", `${ADMINS}/${c.body.userId}`, { ...c.body, userId: undefined }, bearer(token)),
            await restBodyOfGrpcError(perms.updateAdministrator(fromJson(UpdateAdministratorRequestSchema, c.body as JsonObject))),
          ]
        : [await rest("POST", ADMINS, c.body, bearer(token)), await restBodyOfGrpcError(perms.createAdministrator(fromJson(CreateAdministratorRequestSchema, c.body as JsonObject)))];
      expect(res.status).toBe(status);
      expect(res.json).toEqual(expected);
      expect(res.json.details).toEqual([{ "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", id: expect.any(String), message: expect.any(String) }]);
    });

    it("400 for a body that does not decode, but unknown names dropped as ZITADEL's gateway drops them; 405 with Allow for another method", async () => {
      const bad = await rest("POST", ADMINS, { userId: 7 });
      expect([bad.status, bad.json.code, bad.json.details[0].id]).toEqual([400, 3, "REQUEST-INVALID-FIELD"]);
      const projectId = await w.newProject();
      const u = await w.newUser();
      const created = await rest("POST", ADMINS, { userId: u.id, ...onProject(projectId), roles: ["PROJECT_OWNER"], newerField: { x: 1 } });
      expect([created.status, created.json]).toEqual([200, { creationDate: TIME }]);
      const deleted = await rest("DELETE", `${ADMINS}/${u.id}?resource.projectId=${projectId}&trace=1`);
      expect([deleted.status, deleted.json]).toEqual([200, { deletionDate: TIME }]);
      const wrong = await rest("GET", `${ADMINS}/1`);
      expect([wrong.status, wrong.headers["allow"]]).toEqual([405, "DELETE, POST"]);
    });
  });
});
