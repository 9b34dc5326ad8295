// The ten v2beta RPCs, with ZITADEL's published descriptors, over every
// protocol of the matrix (gRPC, gRPC-web, Connect, @grpc/grpc-js, raw JSON,
// grpc-web-text, TLS): each answers with the expected value.
import { AuthorizationService } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_service_pb.js";
import { State } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_pb.js";
import { InternalPermissionService } from "@zitadel/proto/zitadel/internal_permission/v2beta/internal_permission_service_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { PROTOCOLS, startMatrixServer, type MatrixServer } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";

describe.each(PROTOCOLS)("ZITADEL v2beta over $name", (p) => {
  let s: MatrixServer;
  beforeAll(async () => {
    s = await startMatrixServer(p);
  });
  afterAll(() => s.close());

  it("serves the administrator and authorization RPCs", async () => {
    const admin = auth(s.adminToken);
    const projectId = (await s.client(ProjectService).createProject({ name: "matrix" }, admin)).project!.id;
    await s.client(ProjectService).createProjectRole({ projectId, slug: "reader", name: "Reader", permissions: ["project.read"] }, admin);
    const userId = (await s.client(UserService).createUser({ email: "v2@example.com", firstName: "Vee", lastName: "Two" }, admin)).user!.id;
    const perms = s.client(InternalPermissionService);
    const authz = s.client(AuthorizationService);
    const resource = { resource: { case: "projectId" as const, value: projectId } };

    expect((await perms.createAdministrator({ userId, resource, roles: ["PROJECT_OWNER_VIEWER"] }, admin)).creationDate).toBeDefined();
    expect((await perms.updateAdministrator({ userId, resource, roles: ["PROJECT_OWNER"] }, admin)).changeDate).toBeDefined();
    const admins = await perms.listAdministrators({ filters: [{ filter: { case: "resource", value: resource } }] }, admin);
    expect(admins.administrators.map((a) => [a.user?.id, a.roles])).toEqual([[userId, ["PROJECT_OWNER"]]]);

    const { id } = await authz.createAuthorization({ userId, projectId, roleKeys: ["reader"] }, admin);
    expect((await authz.updateAuthorization({ id, roleKeys: [] }, admin)).changeDate).toBeDefined();
    await authz.updateAuthorization({ id, roleKeys: ["reader"] }, admin);
    await authz.deactivateAuthorization({ id }, admin);
    const listed = await authz.listAuthorizations({ filters: [{ filter: { case: "projectId", value: { id: projectId } } }] }, admin);
    expect(listed.pagination?.totalResult).toBe(1n);
    expect(listed.authorizations.map((a) => [a.id, a.state, a.roles])).toEqual([[id, State.INACTIVE, ["reader"]]]);
    await authz.activateAuthorization({ id }, admin);

    expect((await perms.deleteAdministrator({ userId, resource }, admin)).deletionDate).toBeDefined();
    expect((await authz.deleteAuthorization({ id }, admin)).deletionDate).toBeDefined();
    expect((await authz.listAuthorizations({}, admin)).authorizations).toEqual([]);
  });
});
