// ZITADEL's AuthorizationService on its REST paths (/v2beta/authorizations…),
// called with plain fetch: bodies field by field as ZITADEL's gateway writes
// them (enum names, RFC 3339 timestamps, defaults left out) and as ZITADEL's
// client reads the same over gRPC; writes seen by the native API and v1, and
// the reverse; x-zitadel-orgid; errors in ZITADEL's gateway body.
import { toJson } from "@bufbuild/protobuf";
import { ListAuthorizationsResponseSchema } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_service_pb.js";
import { describe, expect, it } from "vitest";
import { MembershipStatus } from "../../gen/membership/v1/common_pb.js";
import { useWorld } from "../helpers/fixtures.ts";
import { bearer, REST_CLIENTS, restBodyOfGrpcError } from "../helpers/rest-clients.ts";
import { auth } from "../helpers/server.ts";
import { zitadelV2Clients } from "../helpers/zitadel-v2-client.ts";

const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const AUTHZ = "/v2beta/authorizations";
const ALL = [MembershipStatus.ACTIVE, MembershipStatus.INVITED, MembershipStatus.SUSPENDED, MembershipStatus.DEACTIVATED];

describe("AuthorizationService over REST with fetch", () => {
  const w = useWorld({ per: "suite" }, zitadelV2Clients);
  const rest = (method: string, path: string, body?: unknown, headers = bearer(w.ts.adminToken)) => REST_CLIENTS[0]!.make(w.ts.url)(method, path, { headers, body });

  /** A project with the custom roles "reader" and "writer", and a user, in `orgId` (the administrator's own unless set). */
  async function setup(orgId?: string, name = "Gemini") {
    const projectId = await w.newProject(name, orgId);
    for (const slug of ["reader", "writer"]) await w.newRole(projectId, slug, orgId);
    return { projectId, user: await w.newUser({ firstName: "Grace", lastName: "Granted" }, orgId) };
  }
  const nativeMember = async (projectId: string, userId: string, orgId?: string) =>
    (await w.c.members.listMemberships({ projectId, filter: { statuses: ALL } }, auth(w.ts.adminToken, orgId))).memberships.find((m) => m.userId === userId);
  const byProject = (projectId: string) => ({ filters: [{ projectId: { id: projectId } }] });

  it("Create, Update, Deactivate, Activate, List and Delete, each seen by the native API and v1", async () => {
    const { projectId, user } = await setup();
    const created = await rest("POST", AUTHZ, { userId: user.id, projectId, roleKeys: ["reader"] });
    expect([created.status, created.json]).toEqual([200, { id: expect.stringMatching(/^\d+$/), creationDate: TIME }]);
    const id: string = created.json.id;
    expect(await nativeMember(projectId, user.id)).toMatchObject({ id, status: MembershipStatus.ACTIVE, roles: [expect.objectContaining({ role: "reader" })] });

    const updated = await rest("PATCH", `${AUTHZ}/${id}`, { roleKeys: ["writer", "reader"] });
    expect([updated.status, updated.json]).toEqual([200, { changeDate: TIME }]);
    expect([...(await w.z.listProjectMembers({ projectId })).result[0]!.roles].sort()).toEqual(["reader", "writer"]);

    const off = await rest("POST", `${AUTHZ}/${id}/deactivate`, {});
    expect([off.status, off.json]).toEqual([200, { changeDate: TIME }]);
    expect((await nativeMember(projectId, user.id))?.status).toBe(MembershipStatus.SUSPENDED);
    const listed = await rest("POST", `${AUTHZ}/search`, byProject(projectId));
    expect(listed.json).toEqual({
      pagination: { totalResult: "1", appliedLimit: expect.stringMatching(/^[1-9]\d*$/) },
      authorizations: [
        {
          id,
          projectId,
          projectName: "Gemini",
          projectOrganizationId: w.ts.orgId,
          organizationId: w.ts.orgId,
          creationDate: TIME,
          changeDate: TIME,
          state: "STATE_INACTIVE",
          user: { id: user.id, preferredLoginName: user.email, displayName: "Grace Granted", organizationId: w.ts.orgId },
          roles: expect.arrayContaining(["reader", "writer"]),
        },
      ],
    });
    const viaGrpc = await w.v2.authz.listAuthorizations({ filters: [{ filter: { case: "projectId", value: { id: projectId } } }] });
    expect(listed.json).toEqual(toJson(ListAuthorizationsResponseSchema, viaGrpc));

    const on = await rest("POST", `${AUTHZ}/${id}/activate`, {});
    expect([on.status, on.json]).toEqual([200, { changeDate: TIME }]);
    expect((await rest("POST", `${AUTHZ}/search`, { filters: [{ state: { state: "STATE_ACTIVE" } }, ...byProject(projectId).filters] })).json.authorizations.map((a: { id: string }) => a.id)).toEqual([id]);

    const deleted = await rest("DELETE", `${AUTHZ}/${id}`);
    expect([deleted.status, deleted.json]).toEqual([200, { deletionDate: TIME }]);
    expect((await nativeMember(projectId, user.id))?.status).toBe(MembershipStatus.DEACTIVATED);
    expect((await rest("DELETE", `${AUTHZ}/${id}`)).json).toEqual({});
  });

  it("members added natively and through v1 are listed over REST with their role keys; none is left out of the JSON", async () => {
    const { projectId, user } = await setup();
    const bare = await w.newUser();
    await w.c.members.addProjectMember({ projectId, userId: user.id, roles: ["reader"] }, w.admin);
    await w.z.addProjectMember({ projectId, userId: bare.id, roles: [] });
    const listed = await rest("POST", `${AUTHZ}/search`, { ...byProject(projectId), sortingColumn: "AUTHORIZATION_FIELD_NAME_USER_ID", pagination: { asc: true } });
    const rows = listed.json.authorizations.map((a: { user: { id: string }; roles?: string[]; state: string }) => [a.user.id, a.roles, a.state]);
    // A member without role keys has no "roles" in ZITADEL's JSON at all.
    const expected = [[user.id, ["reader"], "STATE_ACTIVE"], [bare.id, undefined, "STATE_ACTIVE"]];
    expect(rows).toEqual(user.id < bare.id ? expected : expected.reverse());
  });

  it("x-zitadel-orgid: absent or own is the caller's organization, foreign needs a role there, nonexistent is refused", async () => {
    const orgB = await w.newOrg();
    const { projectId, user } = await setup(orgB, "Mercury");
    const body = { userId: user.id, projectId, roleKeys: ["reader"] };
    const absent = await rest("POST", AUTHZ, body);
    expect([absent.status, absent.json.details[0].id]).toEqual([400, "PROJECT-NOT-FOUND"]);
    const own = await rest("POST", AUTHZ, body, bearer(w.ts.adminToken, w.ts.orgId));
    expect([own.status, own.json]).toEqual([absent.status, absent.json]);
    const inB = await rest("POST", AUTHZ, body, bearer(w.ts.adminToken, orgB));
    expect(inB.status).toBe(200);
    expect((await nativeMember(projectId, user.id, orgB))?.id).toBe(inB.json.id);

    const patch = (headers: Record<string, string>) => rest("PATCH", `${AUTHZ}/${inB.json.id}`, { roleKeys: ["writer"] }, headers);
    const home = await patch(bearer(w.ts.adminToken));
    expect([home.status, home.json.details[0].id]).toEqual([404, "MEMBERSHIP-NOT-FOUND"]);
    const outsider = await w.newUser();
    const foreign = await patch(bearer(outsider.token, orgB));
    expect([foreign.status, foreign.json.code]).toEqual([403, 7]);
    const missing = await patch(bearer(w.ts.adminToken, "424242424242"));
    expect([missing.status, missing.json.code]).toEqual([403, 7]);
    expect((await nativeMember(projectId, user.id, orgB))?.roles.map((r) => r.role)).toEqual(["reader"]);
    expect((await patch(bearer(w.ts.adminToken, orgB))).status).toBe(200);
    expect((await nativeMember(projectId, user.id, orgB))?.roles.map((r) => r.role)).toEqual(["writer"]);
  });

  describe("errors: ZITADEL's gateway body, as its client reads the same call over gRPC, and grpc-gateway's status", () => {
    it.each([
      ["409 for an authorization created twice", 409, "twice"],
      ["400 for a project that does not exist (FAILED_PRECONDITION)", 400, "no-project"],
      ["400 for an unknown role key (INVALID_ARGUMENT)", 400, "bad-role"],
      ["404 for activating one that does not exist", 404, "activate-missing"],
      ["401 for an unknown token", 401, "bad-token"],
      ["403 for a caller without the permission", 403, "no-permission"],
    ])("%s", async (_what, status, kind) => {
      const { projectId, user } = await setup();
      if (kind === "twice") await w.v2.authz.createAuthorization({ userId: user.id, projectId, roleKeys: ["reader"] });
      const token = kind === "bad-token" ? "mbr_unknown" : kind === "no-permission" ? user.token : w.ts.adminToken;
      const req = { userId: user.id, projectId: kind === "no-project" ? "4242" : projectId, roleKeys: kind === "bad-role" ? ["reader", "no-such-role"] : ["reader"] };
      const authz = w.v2As(token).authz;
      const [res, expected] =
        kind === "activate-missing"
          ? [await rest("POST", `${AUTHZ}/4242/activate`, {}, bearer(token)), await restBodyOfGrpcError(authz.activateAuthorization({ id: "4242" }))]
          : [await rest("POST", AUTHZ, req, bearer(token)), await restBodyOfGrpcError(authz.createAuthorization(req))];
      expect(res.status).toBe(status);
      expect(res.json).toEqual(expected);
      expect(res.json.details).toEqual([{ "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", id: expect.any(String), message: expect.any(String) }]);
    });

    it("405 with Allow on an authorization's path for GET", async () => {
      const res = await rest("GET", `${AUTHZ}/1`);
      expect([res.status, res.headers["allow"]]).toEqual([405, "DELETE, PATCH"]);
    });
  });
});
