// The authorization table: each RPC needs its permission; callers holding
// each role are allowed or refused accordingly, and escalation is denied.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, createWorld, type World } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

type Caller = "none" | "viewer" | "member" | "admin" | "PROJECT_OWNER_VIEWER";
const CALLERS: Caller[] = ["none", "viewer", "member", "admin", "PROJECT_OWNER_VIEWER"];
type As = { headers: Record<string, string> };

let ts: TestServer;
let w: World;
const callers = new Map<Caller, As>();

beforeAll(async () => {
  ts = await startTestServer();
  w = await createWorld(ts);
  for (const role of CALLERS) {
    const u = await w.newUser(`caller-${role.toLowerCase().replace(/_/g, "-")}`);
    if (role !== "none") await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: [role] }, w.admin);
    callers.set(role, u.as);
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
  role: async () =>
    (await w.c.projects.createProjectRole({ projectId: w.projectId, slug: `r${Math.random().toString(36).slice(2, 10)}`, name: "r", permissions: [] }, w.admin)).role!.id,
};

const drain = async (s: AsyncIterable<unknown>) => {
  for await (const _ of s) break;
};

const READERS: Caller[] = ["member", "admin", "PROJECT_OWNER_VIEWER"];
const PROJECT_READERS: Caller[] = ["viewer", "member", "admin", "PROJECT_OWNER_VIEWER"];
const ADMINS: Caller[] = ["admin"];
const NOBODY: Caller[] = [];
const p = () => w.projectId;

const TABLE: [string, Caller[], (as: As) => Promise<unknown>][] = [
  ["GetProject (project.read)", PROJECT_READERS, (as) => w.c.projects.getProject({ projectId: p() }, as)],
  ["ListProjectRoles (project.role.read)", PROJECT_READERS, (as) => w.c.projects.listProjectRoles({ projectId: p() }, as)],
  ["CreateProjectRole (project.role.write)", ADMINS, (as) => w.c.projects.createProjectRole({ projectId: p(), slug: `c${Math.random().toString(36).slice(2, 9)}`, name: "c" }, as)],
  ["UpdateProjectRole (project.role.write)", ADMINS, async (as) => w.c.projects.updateProjectRole({ projectId: p(), roleId: await target.role(), name: "n" }, as)],
  ["DeleteProjectRole (project.role.delete)", ADMINS, async (as) => w.c.projects.deleteProjectRole({ projectId: p(), roleId: await target.role() }, as)],
  ["AddProjectMember (project.member.write)", ADMINS, async (as) => w.c.members.addProjectMember({ projectId: p(), userId: await target.user() }, as)],
  ["InviteProjectMember (project.member.write)", ADMINS, async (as) => w.c.members.inviteProjectMember({ projectId: p(), userId: await target.user() }, as)],
  ["UpdateProjectMember (project.member.write)", ADMINS, async (as) => w.c.members.updateProjectMember({ projectId: p(), userId: await target.member(), roles: ["member"] }, as)],
  ["RemoveProjectMember (project.member.delete)", ADMINS, async (as) => w.c.members.removeProjectMember({ projectId: p(), userId: await target.member() }, as)],
  ["ListMemberships (project.member.read)", READERS, (as) => w.c.members.listMemberships({ projectId: p() }, as)],
  ["CreateIdentityMembership (project.member.write)", ADMINS, async (as) => w.c.members.createIdentityMembership({ projectId: p(), identityId: (await w.newIdentity()).id }, as)],
  ["GetIdentityMembership (project.member.read)", READERS, async (as) => w.c.members.getIdentityMembership({ projectId: p(), identityId: (await target.identityMember()).id }, as)],
  ["UpdateIdentityMembership (project.member.write)", ADMINS, async (as) => w.c.members.updateIdentityMembership({ projectId: p(), identityId: (await target.identityMember()).id, roles: [{ role: "viewer" }] }, as)],
  ["ListIdentityMemberships (project.member.read)", READERS, (as) => w.c.members.listIdentityMemberships({ projectId: p() }, as)],
  ["DeleteIdentityMembership (project.member.delete)", ADMINS, async (as) => w.c.members.deleteIdentityMembership({ projectId: p(), identityId: (await target.identityMember()).id }, as)],
  ["SuspendMembership (project.member.write)", ADMINS, async (as) => w.c.members.suspendMembership({ membershipId: (await target.identityMember()).membershipId }, as)],
  ["CheckAccess of another (project.member.read)", READERS, async (as) => w.c.members.checkAccess({ projectId: p(), subject: { case: "userId", value: await target.member() }, permission: "project.read" }, as)],
  ["WatchMemberships of a project (project.member.read)", READERS, (as) => drain(w.c.members.watchMemberships({ projectId: p(), afterSequence: 0n }, as))],
  ["ListAuditEvents of a project (audit.read)", ADMINS.concat("PROJECT_OWNER_VIEWER"), (as) => w.c.audit.listAuditEvents({ projectId: p() }, as)],
  ["ListAuditEvents of the organization (org role)", NOBODY, (as) => w.c.audit.listAuditEvents({}, as)],
  ["CreateProject (org.project.create)", NOBODY, (as) => w.c.projects.createProject({ name: "x" }, as)],
  ["CreateUser (org.user.write)", NOBODY, (as) => w.c.users.createUser({ email: `x${Math.random()}@example.com`, firstName: "x", lastName: "y" }, as)],
  ["ListUsers (org.user.read)", NOBODY, (as) => w.c.users.listUsers({}, as)],
  ["CreateIdentity (org.identity.write)", NOBODY, (as) => w.c.identities.createIdentity({ name: "x" }, as)],
  ["CreateOrganization (instance administrators)", NOBODY, (as) => w.c.orgs.createOrganization({ name: "x" }, as)],
  ["ListOrganizationMembers (org.member.read)", NOBODY, (as) => w.c.orgs.listOrganizationMembers({}, as)],
  ["AddOrganizationMember (org.member.write)", NOBODY, async (as) => w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: await target.user() }, roles: ["ORG_OWNER_VIEWER"] }, as)],
];

describe("authorization table", () => {
  for (const [rpc, allowed, call] of TABLE) {
    it.each(CALLERS)(`${rpc} as %s`, async (caller) => {
      const as = callers.get(caller)!;
      if (allowed.includes(caller)) await call(as);
      else expect(await codeOf(call(as))).toBe(Code.PermissionDenied);
    });
  }

  it("the instance administrator may call everything", async () => {
    for (const [, , call] of TABLE) await call(w.admin);
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
