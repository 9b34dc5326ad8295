import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { MembershipStatus, PrincipalType } from "../../gen/membership/v1/common_pb.js";
import { codeOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";

const w = useWorld();

const statusOf = async (userId: string, statuses: MembershipStatus[] = []) =>
  (await w.c.members.listMemberships({ projectId: w.projectId, filter: { statuses } }, w.admin)).memberships.find((m) => m.userId === userId);

describe("membership lifecycle", () => {
  it("invites, and the invited user accepts with their own token", async () => {
    const u = await w.newUser();
    const inv = await w.c.members.inviteProjectMember({ projectId: w.projectId, userId: u.id, roles: ["member"] }, w.admin);
    expect(inv.membership!.status).toBe(MembershipStatus.INVITED);
    expect(inv.membership!.invitedAt).toBeDefined();
    expect(inv.membership!.activatedAt).toBeUndefined();
    // An invitation grants nothing yet.
    expect((await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.member.read" }, u.as)).allowed).toBe(false);
    // Nobody else can accept it for them.
    expect(await codeOf(w.c.members.acceptProjectInvitation({ projectId: w.projectId }, w.admin))).toBe(Code.NotFound);

    const acc = await w.c.members.acceptProjectInvitation({ projectId: w.projectId }, u.as);
    expect(acc.membership!.status).toBe(MembershipStatus.ACTIVE);
    expect(acc.membership!.activatedAt).toBeDefined();
    expect(acc.details!.sequence).toBeGreaterThan(inv.details!.sequence);
    expect((await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.member.read" }, u.as)).allowed).toBe(true);
    expect(await codeOf(w.c.members.acceptProjectInvitation({ projectId: w.projectId }, u.as))).toBe(Code.NotFound);
  });

  it("suspends and resumes; a suspended member is listed but grants nothing", async () => {
    const u = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["member"] }, w.admin);
    const id = (await statusOf(u.id))!.id;
    const s = await w.c.members.suspendMembership({ membershipId: id }, w.admin);
    expect(s.membership!.status).toBe(MembershipStatus.SUSPENDED);
    expect(s.membership!.suspendedAt).toBeDefined();
    expect((await statusOf(u.id))!.status).toBe(MembershipStatus.SUSPENDED);
    expect(await codeOf(w.c.members.listMemberships({ projectId: w.projectId }, u.as))).toBe(Code.PermissionDenied);
    expect(await codeOf(w.c.members.suspendMembership({ membershipId: id }, w.admin))).toBe(Code.FailedPrecondition);
    const r = await w.c.members.resumeMembership({ membershipId: id }, w.admin);
    expect(r.membership!.status).toBe(MembershipStatus.ACTIVE);
    expect((await w.c.members.listMemberships({ projectId: w.projectId }, u.as)).memberships.length).toBeGreaterThan(0);
    expect(await codeOf(w.c.members.resumeMembership({ membershipId: id }, w.admin))).toBe(Code.FailedPrecondition);
  });

  it("removes by deactivating: roles revoked, row kept, re-adding re-activates", async () => {
    const u = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["admin"] }, w.admin);
    const before = (await statusOf(u.id))!;
    const rm = await w.c.members.removeProjectMember({ projectId: w.projectId, userId: u.id }, w.admin);
    expect(rm.details!.changeDate).toBeDefined();
    expect(await statusOf(u.id)).toBeUndefined();
    const kept = (await statusOf(u.id, [MembershipStatus.DEACTIVATED]))!;
    expect(kept.id).toBe(before.id);
    expect(kept.roles).toEqual([]);
    expect(kept.deactivatedAt).toBeDefined();
    expect((await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.read" }, u.as)).allowed).toBe(false);
    expect(await codeOf(w.c.members.removeProjectMember({ projectId: w.projectId, userId: u.id }, w.admin))).toBe(Code.NotFound);

    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["viewer"] }, w.admin);
    const back = (await statusOf(u.id))!;
    expect(back.id).toBe(before.id);
    expect(back.status).toBe(MembershipStatus.ACTIVE);
    expect(back.roles.map((r) => r.role)).toEqual(["viewer"]);
    expect(await codeOf(w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id }, w.admin))).toBe(Code.AlreadyExists);
  });

  it("updates roles, and setting the same roles again succeeds with the current details", async () => {
    const u = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["viewer"] }, w.admin);
    const first = await w.c.members.updateProjectMember({ projectId: w.projectId, userId: u.id, roles: ["member", "viewer"] }, w.admin);
    const again = await w.c.members.updateProjectMember({ projectId: w.projectId, userId: u.id, roles: ["viewer", "member"] }, w.admin);
    expect(again.details!.sequence).toBe(first.details!.sequence);
    expect((await statusOf(u.id))!.roles.map((r) => r.role).sort()).toEqual(["member", "viewer"]);
    expect(await codeOf(w.c.members.updateProjectMember({ projectId: w.projectId, userId: "nobody", roles: [] }, w.admin))).toBe(
      Code.NotFound,
    );
  });

  it("accepts a member without roles, as a member without rights", async () => {
    const u = await w.newUser();
    const res = await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id }, w.admin);
    expect(res.details!.resourceOwner).toBe(w.ts.orgId);
    expect((await statusOf(u.id))!.roles).toEqual([]);
    expect((await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.read" }, u.as)).allowed).toBe(false);
  });
});

describe("membership list filters", () => {
  it("filter by role, principal type, status and email prefix", async () => {
    const ann = await w.newUser("ann");
    const bob = await w.newUser("bob");
    const bot = await w.newIdentity();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: ann.id, roles: ["admin"] }, w.admin);
    await w.c.members.inviteProjectMember({ projectId: w.projectId, userId: bob.id, roles: ["viewer"] }, w.admin);
    await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [{ role: "viewer" }] }, w.admin);
    const list = async (filter: object) =>
      (await w.c.members.listMemberships({ projectId: w.projectId, filter }, w.admin)).memberships.map((m) => m.userId || m.identityId).sort();

    expect(await list({})).toEqual([ann.id, bob.id, bot.id].sort());
    expect(await list({ role: "viewer" })).toEqual([bob.id, bot.id].sort());
    expect(await list({ principalType: PrincipalType.IDENTITY })).toEqual([bot.id]);
    expect(await list({ principalType: PrincipalType.USER })).toEqual([ann.id, bob.id].sort());
    expect(await list({ statuses: [MembershipStatus.INVITED] })).toEqual([bob.id]);
    expect(await list({ emailPrefix: "AN" })).toEqual([ann.id]);
    expect(await list({ emailPrefix: "%" })).toEqual([]);
    expect(await codeOf(w.c.members.listMemberships({ projectId: w.projectId, filter: { statuses: [99 as MembershipStatus] } }, w.admin))).toBe(
      Code.InvalidArgument,
    );
  });
});
