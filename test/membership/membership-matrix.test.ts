// Every RPC of the membership issue through every protocol of the matrix.
import { describe, expect, it } from "vitest";
import { MembershipStatus } from "../../gen/membership/v1/common_pb.js";
import { take } from "../helpers/call-outcomes.ts";
import { temporaryRole, useWorld } from "../helpers/fixtures.ts";
import { PROTOCOLS } from "../helpers/protocol-matrix.ts";

describe.each(PROTOCOLS)("membership API over $name", (p) => {
  const w = useWorld({ protocol: p });

  it("serves identity memberships, temporary and custom roles", async () => {
    const bot = await w.newIdentity();
    const start = Date.UTC(2030, 0, 1);
    const created = await w.c.members.createIdentityMembership(
      {
        projectId: w.projectId,
        identityId: bot.id,
        roles: [temporaryRole("admin", "2h", start)],
      },
      w.admin,
    );
    expect(created.identityMembership!.roles[0]!.temporaryAccessEndTime!.seconds).toBe(BigInt((start + 7_200_000) / 1000));
    const { role } = await w.c.projects.createProjectRole({ projectId: w.projectId, slug: "ops", name: "Ops", permissions: ["project.read"] }, w.admin);
    const updated = await w.c.members.updateIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [{ role: "ops" }] }, w.admin);
    expect(updated.roles[0]!.customRoleId).toBe(role!.id);
    expect((await w.c.members.getIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin)).identityMembership!.roles[0]!.role).toBe("ops");
    expect((await w.c.members.listIdentityMemberships({ projectId: w.projectId }, w.admin)).identityMemberships).toHaveLength(1);
    expect((await w.c.projects.listProjectRoles({ projectId: w.projectId }, w.admin)).roles.some((r) => r.slug === "ops")).toBe(true);
    await w.c.projects.updateProjectRole({ projectId: w.projectId, roleId: role!.id, description: "operators" }, w.admin);
    const deleted = await w.c.members.deleteIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    expect(deleted.identityMembership!.status).toBe(MembershipStatus.DEACTIVATED);
    expect((await w.c.projects.deleteProjectRole({ projectId: w.projectId, roleId: role!.id }, w.admin)).role!.slug).toBe("ops");
  });

  it("serves the lifecycle, access checks and the audit trail", async () => {
    const u = await w.newUser();
    await w.c.members.inviteProjectMember({ projectId: w.projectId, userId: u.id, roles: ["member"] }, w.admin);
    const accepted = await w.c.members.acceptProjectInvitation({ projectId: w.projectId }, u.as);
    expect(accepted.membership!.status).toBe(MembershipStatus.ACTIVE);
    await w.c.members.updateProjectMember({ projectId: w.projectId, userId: u.id, roles: ["viewer"] }, w.admin);
    const suspended = await w.c.members.suspendMembership({ membershipId: accepted.membership!.id }, w.admin);
    expect(suspended.membership!.status).toBe(MembershipStatus.SUSPENDED);
    await w.c.members.resumeMembership({ membershipId: accepted.membership!.id }, w.admin);
    const check = await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.read" }, u.as);
    expect(check.allowed).toBe(true);
    const removed = await w.c.members.removeProjectMember({ projectId: w.projectId, userId: u.id }, w.admin);
    const { events } = await w.c.audit.listAuditEvents({ projectId: w.projectId }, w.admin);
    expect(events.at(-1)!.sequence).toBe(removed.details!.sequence);
    expect(events.at(-1)!.action).toBe("membership.deactivated");
  });

  it.runIf(p.streaming)("streams membership changes", async () => {
    const u = await w.newUser();
    const added = await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id }, w.admin);
    const events = await take(1, (signal) => w.c.members.watchMemberships({ projectId: w.projectId }, { ...w.admin, signal }));
    expect(events.map((m) => [m.event!.sequence, m.event!.after!["principalId"]])).toEqual([[added.details!.sequence, u.id]]);
  });
});
