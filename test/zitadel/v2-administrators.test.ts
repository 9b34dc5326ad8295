// ZITADEL's InternalPermissionService through its published client, over
// gRPC, gRPC-web and Connect: administrators written through v2 are project
// and organization members for v1 and the native API, and the reverse.
import { Code } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import { useWorld } from "../helpers/fixtures.ts";
import { ZITADEL_PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";
import { expectZitadelError } from "../helpers/zitadel-client.ts";
import { inNewOrg, zitadelV2Clients, type V2Services } from "../helpers/zitadel-v2-client.ts";

/** The resource of a write, and a filter for it. */
const onProject = (value: string) => ({ resource: { resource: { case: "projectId" as const, value } } });
const onOrg = (value: string) => ({ resource: { resource: { case: "organizationId" as const, value } } });
const ofResource = (r: { resource: object }) => ({ filters: [{ filter: { case: "resource" as const, value: r.resource } }] });

describe.each(ZITADEL_PROTOCOLS)("InternalPermissionService over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite" }, zitadelV2Clients);
  let org: string, v2: V2Services;
  beforeAll(async () => ({ org, v2 } = await inNewOrg(w)));

  const v1Members = async (projectId: string) =>
    (await w.zIn(org).listProjectMembers({ projectId })).result.map((m) => [m.userId, [...m.roles].sort()]);
  const nativeOrgMembers = async () =>
    (await w.c.orgs.listOrganizationMembers({}, auth(w.ts.adminToken, org))).members.map((m) => [m.principalId, [...m.roles].sort()]);

  it("a project administrator written through v2 is a project member for v1 and the native API", async () => {
    const projectId = await w.newProject(undefined, org);
    const u = await w.newUser({ firstName: "Ada", lastName: "Admin" }, org);
    const created = await v2.perms.createAdministrator({ userId: u.id, ...onProject(projectId), roles: ["PROJECT_OWNER_VIEWER"] });
    expect(created.creationDate?.seconds).toBeGreaterThan(0n);
    expect(await v1Members(projectId)).toEqual([[u.id, ["PROJECT_OWNER_VIEWER"]]]);
    const native = (await w.c.members.listMemberships({ projectId }, auth(w.ts.adminToken, org))).memberships;
    expect(native.map((m) => [m.userId, m.roles.map((r) => r.role)])).toEqual([[u.id, ["PROJECT_OWNER_VIEWER"]]]);

    const updated = await v2.perms.updateAdministrator({ userId: u.id, ...onProject(projectId), roles: ["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"] });
    expect(updated.changeDate).toBeDefined();
    expect(await v1Members(projectId)).toEqual([[u.id, ["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"]]]);

    const { administrators, pagination } = await v2.perms.listAdministrators(ofResource(onProject(projectId)));
    expect(pagination?.totalResult).toBe(1n);
    expect(administrators).toHaveLength(1);
    const [a] = administrators;
    expect(a!.user).toMatchObject({ id: u.id, preferredLoginName: u.email, displayName: "Ada Admin", organizationId: org });
    expect(a!.resource).toMatchObject({ case: "project", value: { id: projectId, organizationId: org } });
    expect([...a!.roles].sort()).toEqual(["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"]);
    expect(a!.changeDate!.seconds).toBeGreaterThanOrEqual(a!.creationDate!.seconds);

    const deleted = await v2.perms.deleteAdministrator({ userId: u.id, ...onProject(projectId) });
    expect(deleted.deletionDate).toBeDefined();
    expect(await v1Members(projectId)).toEqual([]);
    // Gone already: the desired state, so success, without a deletion date.
    expect((await v2.perms.deleteAdministrator({ userId: u.id, ...onProject(projectId) })).deletionDate).toBeUndefined();
  });

  it("project members added through v1 and natively are administrators with their PROJECT_* roles only", async () => {
    const projectId = await w.newProject(undefined, org);
    const [viaV1, mixed, plain] = [await w.newUser({}, org), await w.newUser({}, org), await w.newUser({}, org)];
    await w.zIn(org).addProjectMember({ projectId, userId: viaV1.id, roles: ["PROJECT_OWNER"] });
    await w.c.members.addProjectMember({ projectId, userId: mixed.id, roles: ["PROJECT_OWNER_VIEWER", "viewer"] }, auth(w.ts.adminToken, org));
    await w.c.members.addProjectMember({ projectId, userId: plain.id, roles: ["viewer"] }, auth(w.ts.adminToken, org));
    const { administrators } = await v2.perms.listAdministrators(ofResource(onProject(projectId)));
    const got = administrators.map((a) => [a.user!.id, a.roles]).sort();
    expect(got).toEqual([[viaV1.id, ["PROJECT_OWNER"]], [mixed.id, ["PROJECT_OWNER_VIEWER"]]].sort());

    // Revoking the administrator roles keeps the member's other roles.
    await v2.perms.deleteAdministrator({ userId: mixed.id, ...onProject(projectId) });
    const native = await w.c.members.listMemberships({ projectId }, auth(w.ts.adminToken, org));
    expect(native.memberships.find((m) => m.userId === mixed.id)?.roles.map((r) => r.role)).toEqual(["viewer"]);
  });

  it("organization administrators are the organization's members, both ways", async () => {
    const [a, b] = [await w.newUser({}, org), await w.newUser({}, org)];
    await v2.perms.createAdministrator({ userId: a.id, ...onOrg(org), roles: ["ORG_OWNER_VIEWER"] });
    expect(await nativeOrgMembers()).toContainEqual([a.id, ["ORG_OWNER_VIEWER"]]);
    await v2.perms.updateAdministrator({ userId: a.id, ...onOrg(org), roles: ["ORG_USER_MANAGER", "ORG_OWNER_VIEWER"] });
    expect(await nativeOrgMembers()).toContainEqual([a.id, ["ORG_OWNER_VIEWER", "ORG_USER_MANAGER"]]);

    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: b.id }, roles: ["ORG_OWNER"] }, auth(w.ts.adminToken, org));
    const { administrators } = await v2.perms.listAdministrators(ofResource(onOrg(org)));
    const listed = new Map(administrators.map((x) => [x.user!.id, x]));
    expect([...listed.get(a.id)!.roles].sort()).toEqual(["ORG_OWNER_VIEWER", "ORG_USER_MANAGER"]);
    expect(listed.get(b.id)?.roles).toEqual(["ORG_OWNER"]);
    expect(listed.get(b.id)?.resource).toMatchObject({ case: "organization", value: { id: org } });

    expect((await v2.perms.deleteAdministrator({ userId: a.id, ...onOrg(org) })).deletionDate).toBeDefined();
    expect((await nativeOrgMembers()).map(([id]) => id)).not.toContain(a.id);
    expect((await v2.perms.deleteAdministrator({ userId: a.id, ...onOrg(org) })).deletionDate).toBeUndefined();
  });

  it("answers errors with ZITADEL's codes and error ids", async () => {
    const projectId = await w.newProject(undefined, org);
    const u = await w.newUser({}, org);
    const create = (userId: string, resource: object, roles: string[]) => v2.perms.createAdministrator({ userId, ...resource, roles });
    expect(await expectZitadelError(create("no-such-user", onProject(projectId), ["PROJECT_OWNER"]), Code.FailedPrecondition)).toBe("USER-NOT-FOUND");
    expect(await expectZitadelError(create(u.id, onProject("no-such-project"), ["PROJECT_OWNER"]), Code.FailedPrecondition)).toBe("PROJECT-NOT-FOUND");
    await create(u.id, onProject(projectId), ["PROJECT_OWNER"]);
    expect(await expectZitadelError(create(u.id, onProject(projectId), ["PROJECT_OWNER"]), Code.AlreadyExists)).toBe("MEMBERSHIP-ALREADY-EXISTS");
    expect(await expectZitadelError(create(u.id, onOrg(org), ["NO_SUCH_ROLE"]), Code.InvalidArgument)).toBe("ROLE-UNKNOWN");
    expect(await expectZitadelError(create(u.id, onProject(projectId), []), Code.InvalidArgument)).toBe("REQUEST-INVALID-FIELD");
    expect(await expectZitadelError(create(u.id, {}, ["PROJECT_OWNER"]), Code.InvalidArgument)).toBe("REQUEST-INVALID-FIELD");
    expect(await expectZitadelError(create(u.id, { resource: { resource: { case: "instance", value: true } } }, ["IAM_OWNER"]), Code.Unimplemented)).toBe("ADMINISTRATOR-UNIMPLEMENTED");

    const other = await w.newUser({}, org);
    const viewer = await create(other.id, onProject(projectId), ["viewer"]).catch((e) => e);
    expect(viewer.code).toBe(Code.InvalidArgument);
    expect(viewer.rawMessage).toMatch(/^roles\[0\]: /);
    const update = v2.perms.updateAdministrator({ userId: other.id, ...onProject(projectId), roles: ["PROJECT_OWNER"] });
    expect(await expectZitadelError(update, Code.NotFound)).toBe("MEMBERSHIP-NOT-FOUND");
  });

  it("acts in the organization of the call; an organization resource is entered as x-zitadel-orgid would be", async () => {
    const other = await w.newOrg();
    const projectId = await w.newProject(undefined, other);
    const [owner, target] = [await w.newUser({}, other), await w.newUser({}, other)];
    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: owner.id }, roles: ["ORG_OWNER"] }, auth(w.ts.adminToken, other));
    // The owner's own organization, without the header.
    await w.v2As(owner.token).perms.createAdministrator({ userId: target.id, ...onProject(projectId), roles: ["PROJECT_OWNER"] });
    // From another organization, a project there answers as one that exists nowhere.
    const hidden = await expectZitadelError(v2.perms.createAdministrator({ userId: target.id, ...onProject(projectId), roles: ["PROJECT_OWNER"] }), Code.FailedPrecondition);
    const missing = await expectZitadelError(v2.perms.createAdministrator({ userId: target.id, ...onProject("no-such-project"), roles: ["PROJECT_OWNER"] }), Code.FailedPrecondition);
    expect(hidden).toBe(missing);
    expect((await v2.perms.listAdministrators(ofResource(onProject(projectId)))).administrators).toEqual([]);
    // The organization a resource names is entered by the header's rule: the instance administrator may, an owner elsewhere may not.
    await v2.perms.createAdministrator({ userId: target.id, ...onOrg(other), roles: ["ORG_OWNER_VIEWER"] });
    const listed = await w.c.orgs.listOrganizationMembers({}, auth(w.ts.adminToken, other));
    expect(listed.members.map((m) => [m.principalId, m.roles])).toContainEqual([target.id, ["ORG_OWNER_VIEWER"]]);
    const ownerHere = await w.newUser({}, org);
    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: ownerHere.id }, roles: ["ORG_OWNER"] }, auth(w.ts.adminToken, org));
    const elsewhere = w.v2As(ownerHere.token).perms;
    expect(await expectZitadelError(elsewhere.createAdministrator({ userId: target.id, ...onOrg(other), roles: ["ORG_OWNER"] }), Code.PermissionDenied)).toBe("ORG-SCOPE-DENIED");
    expect((await elsewhere.listAdministrators(ofResource(onOrg(other)))).administrators).toEqual([]);
  });

  it("checks the permission on the resource before the rest of the request", async () => {
    const projectId = await w.newProject(undefined, org);
    const [elsewhere, target] = [await w.newUser({}, org), await w.newUser({}, org)];
    await w.c.members.addProjectMember({ projectId: await w.newProject(undefined, org), userId: elsewhere.id, roles: ["admin"] }, auth(w.ts.adminToken, org));
    const perms = w.v2As(elsewhere.token, org).perms;
    for (const roles of [["PROJECT_OWNER"], [], ["not a role"]]) {
      expect(await expectZitadelError(perms.createAdministrator({ userId: target.id, ...onProject(projectId), roles }), Code.PermissionDenied)).toBe("PERMISSION-MISSING");
    }
    expect(await expectZitadelError(perms.updateAdministrator({ userId: "", ...onOrg(org), roles: [] }), Code.PermissionDenied)).toBe("PERMISSION-MISSING");
  });
});
