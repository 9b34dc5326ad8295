// ZITADEL's AuthorizationService through its published client, over gRPC,
// gRPC-web and Connect: an authorization is a project membership, so what v2
// writes the native API and v1 read, and the reverse.
import { Code } from "@connectrpc/connect";
import { State } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_pb.js";
import { beforeAll, describe, expect, it } from "vitest";
import { MembershipStatus } from "../../gen/membership/v1/common_pb.js";
import { useWorld } from "../helpers/fixtures.ts";
import { ZITADEL_PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";
import { expectZitadelError } from "../helpers/zitadel-client.ts";
import { inNewOrg, zitadelV2Clients, type V2Services } from "../helpers/zitadel-v2-client.ts";

describe.each(ZITADEL_PROTOCOLS)("AuthorizationService over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite" }, zitadelV2Clients);
  let org: string, v2: V2Services;
  beforeAll(async () => ({ org, v2 } = await inNewOrg(w)));

  /** A project of the organization with the custom roles "reader" and "writer", and a user. */
  async function setup(person = {}) {
    const projectId = await w.newProject(undefined, org);
    await w.newRole(projectId, "reader", org);
    await w.newRole(projectId, "writer", org);
    return { projectId, user: await w.newUser(person, org) };
  }
  const ALL = [MembershipStatus.ACTIVE, MembershipStatus.INVITED, MembershipStatus.SUSPENDED, MembershipStatus.DEACTIVATED];
  const nativeMember = async (projectId: string, userId: string, orgId = org) =>
    (await w.c.members.listMemberships({ projectId, filter: { statuses: ALL } }, auth(w.ts.adminToken, orgId))).memberships.find((m) => m.userId === userId);
  const v2Listed = async (projectId: string) =>
    (await v2.authz.listAuthorizations({ filters: [{ filter: { case: "projectId", value: { id: projectId } } }] })).authorizations;

  it("an authorization written through v2 is a project membership for the native API and v1", async () => {
    const { projectId, user } = await setup({ firstName: "Grace", lastName: "Granted" });
    const created = await v2.authz.createAuthorization({ userId: user.id, projectId, roleKeys: ["reader"] });
    expect(created.creationDate).toBeDefined();
    const m = await nativeMember(projectId, user.id);
    expect(m).toMatchObject({ id: created.id, status: MembershipStatus.ACTIVE });
    expect(m!.roles.map((r) => r.role)).toEqual(["reader"]);
    expect((await w.zIn(org).listProjectMembers({ projectId })).result.map((x) => [x.userId, x.roles])).toEqual([[user.id, ["reader"]]]);

    const [a] = await v2Listed(projectId);
    expect(a).toMatchObject({ id: created.id, projectId, projectOrganizationId: org, organizationId: org, state: State.ACTIVE, roles: ["reader"] });
    expect(a!.user).toMatchObject({ id: user.id, preferredLoginName: user.email, displayName: "Grace Granted", organizationId: org });
    expect(a!.projectGrantId).toBeUndefined();

    await v2.authz.updateAuthorization({ id: created.id, roleKeys: ["writer", "reader"] });
    expect((await nativeMember(projectId, user.id))!.roles.map((r) => r.role).sort()).toEqual(["reader", "writer"]);

    expect((await v2.authz.deleteAuthorization({ id: created.id })).deletionDate).toBeDefined();
    expect((await nativeMember(projectId, user.id))?.status).toBe(MembershipStatus.DEACTIVATED);
    expect(await v2Listed(projectId)).toEqual([]);
    expect((await v2.authz.deleteAuthorization({ id: created.id })).deletionDate).toBeUndefined();
    expect((await v2.authz.deleteAuthorization({ id: "no-such-authorization" })).deletionDate).toBeUndefined();

    // Each write is in the native audit trail, as the membership's.
    const { events } = await w.c.audit.listAuditEvents({ projectId, targetId: created.id }, auth(w.ts.adminToken, org));
    expect(events.map((e) => e.action)).toEqual(["membership.added", "membership.roles_replaced", "membership.deactivated"]);
  });

  it("deactivate suspends the membership and activate resumes it; repeating either succeeds and changes nothing", async () => {
    const { projectId, user } = await setup();
    const { id } = await v2.authz.createAuthorization({ userId: user.id, projectId, roleKeys: ["reader"] });
    const off = await v2.authz.deactivateAuthorization({ id });
    expect((await nativeMember(projectId, user.id))?.status).toBe(MembershipStatus.SUSPENDED);
    expect((await v2Listed(projectId))[0]?.state).toBe(State.INACTIVE);
    expect((await v2.authz.deactivateAuthorization({ id })).changeDate).toEqual(off.changeDate);

    const on = await v2.authz.activateAuthorization({ id });
    expect((await nativeMember(projectId, user.id))?.status).toBe(MembershipStatus.ACTIVE);
    expect((await v2.authz.activateAuthorization({ id })).changeDate).toEqual(on.changeDate);

    // The native lifecycle shows through v2 too.
    await w.c.members.suspendMembership({ membershipId: id }, auth(w.ts.adminToken, org));
    expect((await v2Listed(projectId))[0]?.state).toBe(State.INACTIVE);
  });

  it("members added natively and through v1 are authorizations with their role keys that are not PROJECT_*", async () => {
    const { projectId, user } = await setup();
    const [owner, bare] = [await w.newUser({}, org), await w.newUser({}, org)];
    await w.c.members.addProjectMember({ projectId, userId: user.id, roles: ["viewer", "reader"] }, auth(w.ts.adminToken, org));
    await w.zIn(org).addProjectMember({ projectId, userId: owner.id, roles: ["PROJECT_OWNER"] });
    await w.c.members.addProjectMember({ projectId, userId: bare.id, roles: [] }, auth(w.ts.adminToken, org));
    const listed = (await v2Listed(projectId)).map((a) => [a.user!.id, [...a.roles].sort()]);
    // The PROJECT_OWNER is an administrator only; a member without roles is authorized for nothing.
    expect(listed.sort()).toEqual([[user.id, ["reader", "viewer"]], [bare.id, []]].sort());
  });

  it("an administrator and an authorization of one user share the membership, and each write keeps the other's roles", async () => {
    const { projectId, user } = await setup();
    await v2.perms.createAdministrator({ userId: user.id, resource: { resource: { case: "projectId", value: projectId } }, roles: ["PROJECT_OWNER"] });
    const { id } = await v2.authz.createAuthorization({ userId: user.id, projectId, roleKeys: ["reader"] });
    expect((await nativeMember(projectId, user.id))?.id).toBe(id);
    await v2.authz.updateAuthorization({ id, roleKeys: ["writer"] });
    expect([...(await w.zIn(org).listProjectMembers({ projectId })).result[0]!.roles].sort()).toEqual(["PROJECT_OWNER", "writer"]);
    // No role keys: still an authorization, held as the role that grants nothing.
    await v2.authz.updateAuthorization({ id, roleKeys: [] });
    expect((await v2Listed(projectId)).map((a) => [a.id, a.roles])).toEqual([[id, []]]);
    expect([...(await w.zIn(org).listProjectMembers({ projectId })).result[0]!.roles].sort()).toEqual(["PROJECT_OWNER", "no-access"]);
    await v2.authz.deleteAuthorization({ id });
    const m = await nativeMember(projectId, user.id);
    expect([m?.status, m?.roles.map((r) => r.role)]).toEqual([MembershipStatus.ACTIVE, ["PROJECT_OWNER"]]);
    // Without its role keys it is no authorization, only an administrator.
    expect(await v2Listed(projectId)).toEqual([]);
    expect(await expectZitadelError(v2.authz.updateAuthorization({ id, roleKeys: ["reader"] }), Code.NotFound)).toBe("MEMBERSHIP-NOT-FOUND");
  });

  it("answers errors with ZITADEL's codes and error ids", async () => {
    const { projectId, user } = await setup();
    const create = (req: { userId?: string; projectId?: string; roleKeys?: string[]; organizationId?: string }) =>
      v2.authz.createAuthorization({ userId: user.id, projectId, roleKeys: ["reader"], ...req });
    expect(await expectZitadelError(create({ userId: "no-such-user" }), Code.FailedPrecondition)).toBe("USER-NOT-FOUND");
    expect(await expectZitadelError(create({ projectId: "no-such-project" }), Code.FailedPrecondition)).toBe("PROJECT-NOT-FOUND");
    expect(await expectZitadelError(create({ organizationId: await w.newOrg() }), Code.FailedPrecondition)).toBe("PROJECT-GRANT-NOT-FOUND");
    const unknown = await create({ roleKeys: ["reader", "no-such-role"] }).catch((e) => e);
    expect([unknown.code, unknown.rawMessage]).toEqual([Code.InvalidArgument, expect.stringMatching(/^role_keys\[1\]: .*\(ROLE-UNKNOWN\)$/)]);
    expect(await expectZitadelError(create({ roleKeys: ["PROJECT_OWNER"] }), Code.InvalidArgument)).toBe("REQUEST-INVALID-FIELD");
    await create({});
    expect(await expectZitadelError(create({}), Code.AlreadyExists)).toBe("MEMBERSHIP-ALREADY-EXISTS");
    expect(await expectZitadelError(v2.authz.updateAuthorization({ id: "no-such-id", roleKeys: [] }), Code.NotFound)).toBe("MEMBERSHIP-NOT-FOUND");
    expect(await expectZitadelError(v2.authz.activateAuthorization({ id: "no-such-id" }), Code.NotFound)).toBe("MEMBERSHIP-NOT-FOUND");
    const empty = await v2.authz.deleteAuthorization({ id: "" }).catch((e) => e);
    expect([empty.code, empty.rawMessage]).toEqual([Code.InvalidArgument, expect.stringMatching(/^id: is required/)]);
  });

  it("acts in the organization of the call: an authorization of another organization answers as one that does not exist", async () => {
    const other = await w.newOrg();
    const projectId = await w.newProject(undefined, other);
    await w.newRole(projectId, "reader", other);
    const [owner, target] = [await w.newUser({}, other), await w.newUser({}, other)];
    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: owner.id }, roles: ["ORG_OWNER"] }, auth(w.ts.adminToken, other));
    // The owner's own organization, without the header.
    const asOwner = w.v2As(owner.token).authz;
    const { id } = await asOwner.createAuthorization({ userId: target.id, projectId, roleKeys: ["reader"] });
    await asOwner.deactivateAuthorization({ id });
    // From the organization `org`, it is not there: not found, nothing listed, nothing deleted.
    expect(await expectZitadelError(v2.authz.activateAuthorization({ id }), Code.NotFound)).toBe("MEMBERSHIP-NOT-FOUND");
    expect(await expectZitadelError(v2.authz.updateAuthorization({ id, roleKeys: [] }), Code.NotFound)).toBe("MEMBERSHIP-NOT-FOUND");
    expect((await v2.authz.listAuthorizations({ filters: [{ filter: { case: "projectId", value: { id: projectId } } }] })).authorizations).toEqual([]);
    expect((await v2.authz.deleteAuthorization({ id })).deletionDate).toBeUndefined();
    const still = await nativeMember(projectId, target.id, other);
    expect([still?.id, still?.status]).toEqual([id, MembershipStatus.SUSPENDED]);
    // An organization filter enters that organization as the header would.
    const listed = await v2.authz.listAuthorizations({ filters: [{ filter: { case: "organizationId", value: { id: other } } }] });
    expect(listed.authorizations.map((a) => a.id)).toEqual([id]);
  });

  it("checks the permission on the authorization's project before the rest of the request", async () => {
    const { projectId, user } = await setup();
    const { id } = await v2.authz.createAuthorization({ userId: user.id, projectId, roleKeys: ["reader"] });
    const elsewhere = await w.newUser({}, org);
    await w.c.members.addProjectMember({ projectId: await w.newProject(undefined, org), userId: elsewhere.id, roles: ["admin"] }, auth(w.ts.adminToken, org));
    const authz = w.v2As(elsewhere.token, org).authz;
    expect(await expectZitadelError(authz.updateAuthorization({ id, roleKeys: ["no such role", "PROJECT_OWNER"] }), Code.PermissionDenied)).toBe("PERMISSION-MISSING");
    expect(await expectZitadelError(authz.createAuthorization({ userId: "", projectId, roleKeys: ["PROJECT_OWNER"] }), Code.PermissionDenied)).toBe("PERMISSION-MISSING");
  });
});
