// The ten v2beta RPCs, with ZITADEL's published descriptors, over every
// protocol of the matrix (gRPC, gRPC-web, Connect, @grpc/grpc-js, raw JSON,
// grpc-web-text, TLS): each answers with the expected value.
import { State } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_pb.js";
import { describe, expect, it } from "vitest";
import { useWorld } from "../helpers/fixtures.ts";
import { PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { v2Clients } from "../helpers/zitadel-v2-client.ts";

describe.each(PROTOCOLS)("ZITADEL v2beta over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite" }, v2Clients);

  it("serves the administrator and authorization RPCs", async () => {
    const admin = w.admin;
    const projectId = await w.newProject("matrix");
    await w.c.projects.createProjectRole({ projectId, slug: "reader", name: "Reader", permissions: ["project.read"] }, admin);
    const userId = (await w.c.users.createUser({ email: "v2@example.com", firstName: "Vee", lastName: "Two" }, admin)).user!.id;
    // createClient(InternalPermissionService | AuthorizationService, transport) over the protocol's own transport.
    const { perms, authz } = w.v2PerCall;
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
