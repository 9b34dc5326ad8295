import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { PrincipalType } from "../../gen/membership/v1/common_pb.js";
import { codeOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";

const asUser = (id: string) => ({ case: "userId" as const, value: id });

describe("organization members", () => {
  const w = useWorld();

  it("make a new organization administrable by its own owner", async () => {
    const org = await w.newOrg("acme");
    const owner = await w.newUser("owner", org);
    // Without a role the new user can do nothing in its organization.
    expect(await codeOf(w.c.projects.createProject({ name: "p" }, owner.as))).toBe(Code.PermissionDenied);

    const added = await w.c.orgs.addOrganizationMember({ principal: asUser(owner.id), roles: ["ORG_OWNER"] }, auth(w.ts.adminToken, org));
    expect(added.details!.resourceOwner).toBe(org);
    expect(added.details!.creationDate).toBeDefined();

    const project = (await w.c.projects.createProject({ name: "acme app" }, owner.as)).project!;
    expect(project.organizationId).toBe(org);
    const bob = (await w.c.users.createUser({ email: "bob@acme.test", firstName: "Bob", lastName: "B" }, owner.as)).user!;
    await w.c.members.addProjectMember({ projectId: project.id, userId: bob.id, roles: ["admin"] }, owner.as);
    // Still nothing in the first organization.
    expect(await codeOf(w.c.projects.getProject({ projectId: w.projectId }, auth(owner.token, w.ts.orgId)))).toBe(Code.PermissionDenied);
  });

  it("let a principal of another organization act there once it holds a role", async () => {
    const org = await w.newOrg();
    const consultant = await w.newUser("consultant");
    expect(await codeOf(w.c.projects.listProjects({}, auth(consultant.token, org)))).toBe(Code.PermissionDenied);
    await w.c.orgs.addOrganizationMember({ principal: asUser(consultant.id), roles: ["ORG_OWNER_VIEWER"] }, auth(w.ts.adminToken, org));
    await w.c.projects.listProjects({}, auth(consultant.token, org));
    const orgs = (await w.c.orgs.listOrganizations({}, consultant.as)).organizations.map((o) => o.id);
    expect(orgs.sort()).toEqual([w.ts.orgId, org].sort());
    expect(await codeOf(w.c.projects.createProject({ name: "x" }, auth(consultant.token, org)))).toBe(Code.PermissionDenied);
  });

  it("lists, refuses duplicates and unknown roles, and removes", async () => {
    const u = await w.newUser();
    const bot = await w.newIdentity();
    await w.c.orgs.addOrganizationMember({ principal: asUser(u.id), roles: ["ORG_USER_MANAGER", "ORG_OWNER_VIEWER"] }, w.admin);
    await w.c.orgs.addOrganizationMember({ principal: { case: "identityId", value: bot.id }, roles: ["ORG_OWNER_VIEWER"] }, w.admin);
    expect(await codeOf(w.c.orgs.addOrganizationMember({ principal: asUser(u.id), roles: ["ORG_OWNER"] }, w.admin))).toBe(Code.AlreadyExists);
    expect(await codeOf(w.c.orgs.addOrganizationMember({ principal: asUser(u.id), roles: ["GOD"] }, w.admin))).toBe(Code.InvalidArgument);
    expect(await codeOf(w.c.orgs.addOrganizationMember({ principal: asUser(u.id), roles: [] }, w.admin))).toBe(Code.InvalidArgument);
    expect(await codeOf(w.c.orgs.addOrganizationMember({ roles: ["ORG_OWNER"] }, w.admin))).toBe(Code.InvalidArgument);
    expect(await codeOf(w.c.orgs.addOrganizationMember({ principal: asUser("404"), roles: ["ORG_OWNER"] }, w.admin))).toBe(Code.NotFound);

    const seen: { type: PrincipalType; id: string; roles: string[] }[] = [];
    let pageToken = "";
    do {
      const page = await w.c.orgs.listOrganizationMembers({ pageSize: 1, pageToken }, w.admin);
      seen.push(...page.members.map((m) => ({ type: m.principalType, id: m.principalId, roles: m.roles })));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toContainEqual({ type: PrincipalType.USER, id: w.ts.adminUserId, roles: ["ORG_OWNER"] });
    expect(seen).toContainEqual({ type: PrincipalType.USER, id: u.id, roles: ["ORG_OWNER_VIEWER", "ORG_USER_MANAGER"] });
    expect(seen).toContainEqual({ type: PrincipalType.IDENTITY, id: bot.id, roles: ["ORG_OWNER_VIEWER"] });
    expect(seen).toHaveLength(3);

    // A viewer may list but not change.
    await w.c.orgs.listOrganizationMembers({}, u.as);
    expect(await codeOf(w.c.orgs.removeOrganizationMember({ principal: asUser(w.ts.adminUserId) }, u.as))).toBe(Code.PermissionDenied);
    const removed = await w.c.orgs.removeOrganizationMember({ principal: asUser(u.id) }, w.admin);
    expect(removed.details!.changeDate).toBeDefined();
    expect(await codeOf(w.c.orgs.removeOrganizationMember({ principal: asUser(u.id) }, w.admin))).toBe(Code.NotFound);
    const events = (await w.c.audit.listAuditEvents({ targetId: `user:${u.id}` }, w.admin)).events.map((e) => e.action);
    expect(events).toEqual(["org_member.added", "org_member.removed"]);
  });

  it("need org.member.write: a user manager cannot grant organization roles", async () => {
    const manager = await w.newUser();
    await w.c.orgs.addOrganizationMember({ principal: asUser(manager.id), roles: ["ORG_USER_MANAGER"] }, w.admin);
    const other = await w.newUser();
    // ORG_USER_MANAGER lacks org.member.write altogether.
    expect(await codeOf(w.c.orgs.addOrganizationMember({ principal: asUser(other.id), roles: ["ORG_USER_MANAGER"] }, manager.as))).toBe(
      Code.PermissionDenied,
    );
  });
});

describe.each(PROTOCOLS)("organization members over $name", (protocol) => {
  const world = useWorld({ protocol });

  it("adds, lists and removes", async () => {
    const u = await world.newUser();
    const added = await world.c.orgs.addOrganizationMember({ principal: asUser(u.id), roles: ["ORG_OWNER_VIEWER"] }, world.admin);
    expect(added.details!.sequence).toBeGreaterThan(0n);
    const { members } = await world.c.orgs.listOrganizationMembers({}, world.admin);
    expect(members.find((m) => m.principalId === u.id)?.roles).toEqual(["ORG_OWNER_VIEWER"]);
    await world.c.orgs.removeOrganizationMember({ principal: asUser(u.id) }, world.admin);
  });
});
