// The authorization table, generated from the route table: every RPC that
// needs a caller has a call here, and whether each caller (a project member
// holding one built-in role, or no member at all) is allowed follows from the
// access the route declares and the permissions of the role. Escalation is
// denied on top.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInRole } from "../../src/access/permissions.ts";
import { routePath, type Route } from "../../src/rpc/route.ts";
import { allRoutes } from "../../scripts/rpc-table.ts";
import { codeOf, connectTransport, createWorld, type World } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { managementClient, type ManagementClient } from "../helpers/zitadel-client.ts";
import { v2Clients, type V2Clients } from "../helpers/zitadel-v2-client.ts";

type Caller = "none" | "viewer" | "member" | "admin" | "PROJECT_OWNER_VIEWER";
const CALLERS: Caller[] = ["none", "viewer", "member", "admin", "PROJECT_OWNER_VIEWER"];
type As = { headers: Record<string, string> };

let ts: TestServer;
let w: World;
let z: ManagementClient;
let v2: V2Clients;
const callers = new Map<Caller, As>();
const ids = new Map<Caller, string>();

beforeAll(async () => {
  ts = await startTestServer();
  w = await createWorld(ts);
  z = managementClient(connectTransport(ts));
  v2 = v2Clients(connectTransport(ts));
  for (const role of CALLERS) {
    const u = await w.newUser(`caller-${role.toLowerCase().replace(/_/g, "-")}`);
    if (role !== "none") await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: [role] }, w.admin);
    callers.set(role, u.as);
    ids.set(role, u.id);
  }
});
afterAll(() => ts.close());

/** Fresh targets per call, so an allowed call can succeed. */
const target = {
  user: async () => (await w.newUser()).id,
  member: async (roles = ["viewer"]) => {
    const id = (await w.newUser()).id;
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: id, roles }, w.admin);
    return id;
  },
  identityMember: async () => {
    const id = (await w.newIdentity()).id;
    const m = await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: id }, w.admin);
    return { id, membershipId: m.identityMembership!.id };
  },
  suspended: async () => {
    const { membershipId } = await target.identityMember();
    await w.c.members.suspendMembership({ membershipId }, w.admin);
    return membershipId;
  },
  role: async () =>
    (await w.c.projects.createProjectRole({ projectId: w.projectId, slug: `r${Math.random().toString(36).slice(2, 10)}`, name: "r", permissions: [] }, w.admin)).role!.id,
  orgMember: async () => {
    const id = await target.user();
    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: id }, roles: ["ORG_OWNER_VIEWER"] }, w.admin);
    return id;
  },
  authorization: async () =>
    (await v2.authz.createAuthorization({ userId: await target.user(), projectId: w.projectId, roleKeys: ["viewer"] }, w.admin)).id,
  token: async () => (await w.c.tokens.createToken({ principal: { case: "userId", value: await target.user() } }, w.admin)).token!.id,
};

const drain = async (s: AsyncIterable<unknown>) => {
  for await (const _ of s) break;
};
const p = () => w.projectId;
const rnd = () => Math.random().toString(36).slice(2, 9);

/** One call of an RPC; `ofOrganization` asks a project-scoped RPC of the whole organization (empty project_id). */
interface Entry {
  rpc: string;
  ofOrganization?: boolean;
  call(as: As, caller: Caller): Promise<unknown>;
}
const M = "membership.v1.MembershipService/";
const ZM = "zitadel.management.v1.ManagementService/";
const ZP = "zitadel.internal_permission.v2beta.InternalPermissionService/";
const ZA = "zitadel.authorization.v2beta.AuthorizationService/";
/** A v2 administrator resource: the project of the world, or the organization of the call. */
const onProject = () => ({ resource: { case: "projectId" as const, value: w.projectId } });
const onOrg = () => ({ resource: { case: "organizationId" as const, value: ts.orgId } });
const TABLE: Entry[] = [
  { rpc: "membership.v1.OrganizationService/CreateOrganization", call: (as) => w.c.orgs.createOrganization({ name: "x" }, as) },
  { rpc: "membership.v1.OrganizationService/GetOrganization", call: (as) => w.c.orgs.getOrganization({ organizationId: ts.orgId }, as) },
  { rpc: "membership.v1.OrganizationService/ListOrganizations", call: (as) => w.c.orgs.listOrganizations({}, as) },
  { rpc: "membership.v1.OrganizationService/ListOrganizationMembers", call: (as) => w.c.orgs.listOrganizationMembers({}, as) },
  { rpc: "membership.v1.OrganizationService/AddOrganizationMember", call: async (as) => w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: await target.user() }, roles: ["ORG_OWNER_VIEWER"] }, as) },
  {
    rpc: "membership.v1.OrganizationService/RemoveOrganizationMember",
    call: async (as) => {
      const id = await target.user();
      await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: id }, roles: ["ORG_OWNER_VIEWER"] }, w.admin);
      return w.c.orgs.removeOrganizationMember({ principal: { case: "userId", value: id } }, as);
    },
  },
  { rpc: "membership.v1.UserService/CreateUser", call: (as) => w.c.users.createUser({ email: `x${rnd()}@example.com`, firstName: "x", lastName: "y" }, as) },
  { rpc: "membership.v1.UserService/GetUser", call: async (as) => w.c.users.getUser({ userId: await target.user() }, as) },
  { rpc: "membership.v1.UserService/ListUsers", call: (as) => w.c.users.listUsers({}, as) },
  { rpc: "membership.v1.IdentityService/CreateIdentity", call: (as) => w.c.identities.createIdentity({ name: "x" }, as) },
  { rpc: "membership.v1.IdentityService/GetIdentity", call: async (as) => w.c.identities.getIdentity({ identityId: (await w.newIdentity()).id }, as) },
  { rpc: "membership.v1.IdentityService/ListIdentities", call: (as) => w.c.identities.listIdentities({}, as) },
  { rpc: "membership.v1.TokenService/CreateToken", call: async (as) => w.c.tokens.createToken({ principal: { case: "userId", value: await target.user() } }, as) },
  { rpc: "membership.v1.TokenService/RevokeToken", call: async (as) => w.c.tokens.revokeToken({ tokenId: await target.token() }, as) },
  { rpc: "membership.v1.TokenService/ListTokens", call: async (as) => w.c.tokens.listTokens({ principalId: await target.user() }, as) },
  { rpc: "membership.v1.ProjectService/CreateProject", call: (as) => w.c.projects.createProject({ name: "x" }, as) },
  { rpc: "membership.v1.ProjectService/GetProject", call: (as) => w.c.projects.getProject({ projectId: p() }, as) },
  { rpc: "membership.v1.ProjectService/ListProjects", call: (as) => w.c.projects.listProjects({}, as) },
  { rpc: "membership.v1.ProjectService/ListProjectRoles", call: (as) => w.c.projects.listProjectRoles({ projectId: p() }, as) },
  { rpc: "membership.v1.ProjectService/CreateProjectRole", call: (as) => w.c.projects.createProjectRole({ projectId: p(), slug: `c${rnd()}`, name: "c" }, as) },
  { rpc: "membership.v1.ProjectService/UpdateProjectRole", call: async (as) => w.c.projects.updateProjectRole({ projectId: p(), roleId: await target.role(), name: "n" }, as) },
  { rpc: "membership.v1.ProjectService/DeleteProjectRole", call: async (as) => w.c.projects.deleteProjectRole({ projectId: p(), roleId: await target.role() }, as) },
  { rpc: M + "AddProjectMember", call: async (as) => w.c.members.addProjectMember({ projectId: p(), userId: await target.user() }, as) },
  { rpc: M + "InviteProjectMember", call: async (as) => w.c.members.inviteProjectMember({ projectId: p(), userId: await target.user() }, as) },
  {
    rpc: M + "AcceptProjectInvitation",
    call: async (as, caller) => {
      const projectId = await w.newProject();
      await w.c.members.inviteProjectMember({ projectId, userId: ids.get(caller)! }, w.admin);
      return w.c.members.acceptProjectInvitation({ projectId }, as);
    },
  },
  { rpc: M + "UpdateProjectMember", call: async (as) => w.c.members.updateProjectMember({ projectId: p(), userId: await target.member(), roles: ["member"] }, as) },
  { rpc: M + "RemoveProjectMember", call: async (as) => w.c.members.removeProjectMember({ projectId: p(), userId: await target.member() }, as) },
  { rpc: M + "ListMemberships", call: (as) => w.c.members.listMemberships({ projectId: p() }, as) },
  { rpc: M + "CreateIdentityMembership", call: async (as) => w.c.members.createIdentityMembership({ projectId: p(), identityId: (await w.newIdentity()).id }, as) },
  { rpc: M + "GetIdentityMembership", call: async (as) => w.c.members.getIdentityMembership({ projectId: p(), identityId: (await target.identityMember()).id }, as) },
  { rpc: M + "UpdateIdentityMembership", call: async (as) => w.c.members.updateIdentityMembership({ projectId: p(), identityId: (await target.identityMember()).id, roles: [{ role: "viewer" }] }, as) },
  { rpc: M + "ListIdentityMemberships", call: (as) => w.c.members.listIdentityMemberships({ projectId: p() }, as) },
  { rpc: M + "DeleteIdentityMembership", call: async (as) => w.c.members.deleteIdentityMembership({ projectId: p(), identityId: (await target.identityMember()).id }, as) },
  { rpc: M + "SuspendMembership", call: async (as) => w.c.members.suspendMembership({ membershipId: (await target.identityMember()).membershipId }, as) },
  { rpc: M + "ResumeMembership", call: async (as) => w.c.members.resumeMembership({ membershipId: await target.suspended() }, as) },
  { rpc: M + "CheckAccess", call: async (as) => w.c.members.checkAccess({ projectId: p(), subject: { case: "userId", value: await target.member() }, permission: "project.read" }, as) },
  { rpc: M + "WatchMemberships", call: (as) => drain(w.c.members.watchMemberships({ projectId: p(), afterSequence: 0n }, as)) },
  { rpc: "membership.v1.AuditService/ListAuditEvents", call: (as) => w.c.audit.listAuditEvents({ projectId: p() }, as) },
  { rpc: "membership.v1.AuditService/ListAuditEvents", ofOrganization: true, call: (as) => w.c.audit.listAuditEvents({}, as) },
  { rpc: "membership.v1.AuditService/VerifyAuditChain", call: (as) => w.c.audit.verifyAuditChain({}, as) },
  { rpc: ZM + "ListProjectMemberRoles", call: (as) => z.listProjectMemberRoles({}, as) },
  { rpc: ZM + "ListProjectMembers", call: (as) => z.listProjectMembers({ projectId: p() }, as) },
  { rpc: ZM + "AddProjectMember", call: async (as) => z.addProjectMember({ projectId: p(), userId: await target.user(), roles: ["PROJECT_OWNER_VIEWER"] }, as) },
  { rpc: ZM + "UpdateProjectMember", call: async (as) => z.updateProjectMember({ projectId: p(), userId: await target.member(), roles: ["PROJECT_OWNER_VIEWER"] }, as) },
  { rpc: ZM + "RemoveProjectMember", call: async (as) => z.removeProjectMember({ projectId: p(), userId: await target.member() }, as) },
  { rpc: ZP + "ListAdministrators", call: (as) => v2.perms.listAdministrators({}, as) },
  { rpc: ZP + "CreateAdministrator", call: async (as) => v2.perms.createAdministrator({ userId: await target.user(), resource: onProject(), roles: ["PROJECT_OWNER_VIEWER"] }, as) },
  { rpc: ZP + "CreateAdministrator", ofOrganization: true, call: async (as) => v2.perms.createAdministrator({ userId: await target.user(), resource: onOrg(), roles: ["ORG_OWNER_VIEWER"] }, as) },
  { rpc: ZP + "UpdateAdministrator", call: async (as) => v2.perms.updateAdministrator({ userId: await target.member(["PROJECT_OWNER_VIEWER"]), resource: onProject(), roles: ["PROJECT_OWNER_VIEWER"] }, as) },
  { rpc: ZP + "UpdateAdministrator", ofOrganization: true, call: async (as) => v2.perms.updateAdministrator({ userId: await target.orgMember(), resource: onOrg(), roles: ["ORG_OWNER_VIEWER"] }, as) },
  { rpc: ZP + "DeleteAdministrator", call: async (as) => v2.perms.deleteAdministrator({ userId: await target.member(["PROJECT_OWNER_VIEWER"]), resource: onProject() }, as) },
  { rpc: ZP + "DeleteAdministrator", ofOrganization: true, call: async (as) => v2.perms.deleteAdministrator({ userId: await target.orgMember(), resource: onOrg() }, as) },
  { rpc: ZA + "ListAuthorizations", call: (as) => v2.authz.listAuthorizations({}, as) },
  { rpc: ZA + "CreateAuthorization", call: async (as) => v2.authz.createAuthorization({ userId: await target.user(), projectId: p(), roleKeys: ["viewer"] }, as) },
  { rpc: ZA + "UpdateAuthorization", call: async (as) => v2.authz.updateAuthorization({ id: await target.authorization(), roleKeys: ["viewer"] }, as) },
  { rpc: ZA + "DeleteAuthorization", call: async (as) => v2.authz.deleteAuthorization({ id: await target.authorization() }, as) },
  { rpc: ZA + "ActivateAuthorization", call: async (as) => v2.authz.activateAuthorization({ id: await target.authorization() }, as) },
  { rpc: ZA + "DeactivateAuthorization", call: async (as) => v2.authz.deactivateAuthorization({ id: await target.authorization() }, as) },
];

const ROUTES = new Map(allRoutes().map((r) => [routePath(r).slice(1), r]));

/** Callers here hold one project role each and no organization role. */
function allowed(route: Route, e: Entry, caller: Caller): boolean {
  const a = route.access;
  switch (a.scope) {
    case "public":
    case "authenticated":
    case "self":
      return true;
    case "instance":
    case "organization":
      return false;
    case "project":
      return !e.ofOrganization && caller !== "none" && builtInRole(caller)!.permissions.includes(a.permission);
  }
}

describe("authorization table", () => {
  it("covers every RPC that needs a caller", () => {
    const covered = new Set(TABLE.map((e) => e.rpc));
    const missing = [...ROUTES].filter(([path, r]) => r.access.scope !== "public" && !covered.has(path)).map(([path]) => path);
    expect(missing).toEqual([]);
    expect(TABLE.filter((e) => !ROUTES.has(e.rpc))).toEqual([]);
  });

  for (const e of TABLE) {
    const route = ROUTES.get(e.rpc)!;
    const label = `${e.rpc}${e.ofOrganization ? " of the organization" : ""} (${route.access.scope}${"permission" in route.access ? ` ${route.access.permission}` : ""})`;
    it.each(CALLERS)(`${label} as %s`, async (caller) => {
      const as = callers.get(caller)!;
      if (allowed(route, e, caller)) await e.call(as, caller);
      else expect(await codeOf(e.call(as, caller))).toBe(Code.PermissionDenied);
    });
  }

  it("the instance administrator may call everything", async () => {
    for (const e of TABLE) if (e.rpc !== M + "AcceptProjectInvitation") await e.call(w.admin, "none");
  });
});

describe("privilege escalation", () => {
  it("a caller grants only roles whose permissions it holds; the refusal names what is missing", async () => {
    await w.c.projects.createProjectRole(
      { projectId: w.projectId, slug: "member-manager", name: "Member manager", permissions: ["project.read", "project.role.read", "project.member.read", "project.member.write"] },
      w.admin,
    );
    const manager = await w.newUser("manager");
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: manager.id, roles: ["member-manager"] }, w.admin);

    await w.c.members.addProjectMember({ projectId: w.projectId, userId: await target.user(), roles: ["viewer", "member"] }, manager.as);
    const err = await w.c.members.addProjectMember({ projectId: w.projectId, userId: await target.user(), roles: ["admin"] }, manager.as).catch((e) => e);
    expect(err.code).toBe(Code.PermissionDenied);
    for (const missing of ["audit.read", "project.member.delete", "project.role.write", "project.write"]) expect(err.rawMessage).toContain(missing);
    // Nor by raising an existing member, nor by minting a custom role.
    expect(await codeOf(w.c.members.updateProjectMember({ projectId: w.projectId, userId: await target.member(), roles: ["PROJECT_OWNER"] }, manager.as))).toBe(Code.PermissionDenied);
    const bot = await w.newIdentity();
    expect(await codeOf(w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [{ role: "admin" }] }, manager.as))).toBe(Code.PermissionDenied);
  });

  it("a role admin cannot mint a role with permissions it lacks", async () => {
    await w.c.projects.createProjectRole({ projectId: w.projectId, slug: "role-editor", name: "Role editor", permissions: ["project.role.write", "project.role.read"] }, w.admin);
    const editor = await w.newUser("editor");
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: editor.id, roles: ["role-editor"] }, w.admin);
    expect(await codeOf(w.c.projects.createProjectRole({ projectId: w.projectId, slug: "sneaky", name: "s", permissions: ["project.member.write"] }, editor.as))).toBe(Code.PermissionDenied);
    await w.c.projects.createProjectRole({ projectId: w.projectId, slug: "harmless", name: "h", permissions: ["project.role.read"] }, editor.as);
  });
});
