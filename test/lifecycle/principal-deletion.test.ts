// Deleting users and identities, over gRPC and Connect: in one write their
// memberships end (a watcher sees each end), their organization roles go,
// their tokens stop authenticating, and every effect is an audit event.
// Afterwards the principal answers NOT_FOUND, and its email is free again.
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { MembershipStatus } from "../../gen/membership/v1/common_pb.js";
import { codeOf, errorOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { protocols } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";
import { actionsAfter, lastSequence, watchedAfter } from "./lifecycle-helpers.ts";

const ALL_STATUSES = [MembershipStatus.ACTIVE, MembershipStatus.INVITED, MembershipStatus.SUSPENDED, MembershipStatus.DEACTIVATED];

describe.each(protocols("grpc h2c", "connect json h2c"))("deleting principals over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite" });

  it("DeleteUser ends memberships, takes organization roles and revokes tokens, each audited and watched", async () => {
    const u = await w.newUser();
    const secondToken = await w.tokenFor(u.id);
    const other = await w.newProject();
    const org2 = await w.newOrg();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["member"] }, w.admin);
    await w.c.members.inviteProjectMember({ projectId: other, userId: u.id, roles: ["viewer"] }, w.admin);
    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: u.id }, roles: ["ORG_OWNER_VIEWER"] }, auth(w.ts.adminToken, org2));
    expect((await w.c.users.getUser({ userId: u.id }, u.as)).user!.id).toBe(u.id);
    const from = await lastSequence(w);
    const org2From = await lastSequence(w, org2);

    const { details } = await w.c.users.deleteUser({ userId: u.id }, w.admin);

    // Both tokens stop authenticating at once.
    expect(await codeOf(w.c.users.getUser({ userId: u.id }, u.as))).toBe(Code.Unauthenticated);
    expect(await codeOf(w.c.tokens.listTokens({}, auth(secondToken)))).toBe(Code.Unauthenticated);
    // The user, its memberships and its organization roles are gone.
    expect(await codeOf(w.c.users.getUser({ userId: u.id }, w.admin))).toBe(Code.NotFound);
    for (const projectId of [w.projectId, other]) {
      const list = await w.c.members.listMemberships({ projectId, filter: { statuses: ALL_STATUSES } }, w.admin);
      expect(list.memberships.filter((m) => m.userId === u.id)).toEqual([]);
    }
    const org2Members = await w.c.orgs.listOrganizationMembers({}, auth(w.ts.adminToken, org2));
    expect(org2Members.members.map((m) => m.principalId)).not.toContain(u.id);
    // One audit event per effect, the deletion last, in the organization each belongs to.
    const events = await actionsAfter(w, from);
    expect(events.map((e) => e.action)).toEqual(["membership.deactivated", "membership.deactivated", "token.revoked", "token.revoked", "user.deleted"]);
    expect(events.at(-1)).toMatchObject({ targetId: u.id, sequence: details!.sequence });
    expect((await actionsAfter(w, org2From, org2)).map((e) => e.action)).toEqual(["org_member.removed"]);
    // A watcher resuming from before the deletion sees both memberships end.
    const watched = await watchedAfter(w, from, 2);
    expect(watched.map((e) => [e.action, e.principalId, e.status])).toEqual([
      ["membership.deactivated", u.id, "deactivated"],
      ["membership.deactivated", u.id, "deactivated"],
    ]);
    expect(new Set(watched.map((e) => e.projectId))).toEqual(new Set([w.projectId, other]));
  });

  it("answers NOT_FOUND the second time and frees the email", async () => {
    const u = await w.newUser({ email: `again-${protocol.family}@example.com` });
    await w.c.users.deleteUser({ userId: u.id }, w.admin);
    expect(await codeOf(w.c.users.deleteUser({ userId: u.id }, w.admin))).toBe(Code.NotFound);
    expect(await codeOf(w.c.users.updateUser({ userId: u.id, firstName: "Ghost" }, w.admin))).toBe(Code.NotFound);
    const again = await w.c.users.createUser({ email: u.email, firstName: "New", lastName: "User" }, w.admin);
    expect(again.user!.id).not.toBe(u.id);
  });

  it("refuses to delete an instance administrator, and leaves it working", async () => {
    const err = await errorOf(w.c.users.deleteUser({ userId: w.ts.adminUserId }, w.admin));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(err.rawMessage).toContain("instance administrator");
    expect((await w.c.users.getUser({ userId: w.ts.adminUserId }, w.admin)).user!.id).toBe(w.ts.adminUserId);
  });

  it("names the field of a malformed id, and hides users of other organizations", async () => {
    const err = await errorOf(w.c.users.deleteUser({ userId: "" }, w.admin));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toMatch(/^user_id: /);
    const org2 = await w.newOrg();
    const far = await w.newUser("far", org2);
    expect(await codeOf(w.c.users.deleteUser({ userId: far.id }, w.admin))).toBe(Code.NotFound);
    expect((await w.c.users.getUser({ userId: far.id }, far.as)).user!.id).toBe(far.id);
  });

  it("DeleteIdentity ends its memberships and revokes its token, audited and watched", async () => {
    const bot = await w.newIdentity();
    await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    expect((await w.c.identities.getIdentity({ identityId: bot.id }, bot.as)).identity!.id).toBe(bot.id);
    const from = await lastSequence(w);

    await w.c.identities.deleteIdentity({ identityId: bot.id }, w.admin);

    expect(await codeOf(w.c.identities.getIdentity({ identityId: bot.id }, bot.as))).toBe(Code.Unauthenticated);
    expect(await codeOf(w.c.identities.getIdentity({ identityId: bot.id }, w.admin))).toBe(Code.NotFound);
    expect(await codeOf(w.c.members.getIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin))).toBe(Code.NotFound);
    expect(await codeOf(w.c.identities.deleteIdentity({ identityId: bot.id }, w.admin))).toBe(Code.NotFound);
    expect((await actionsAfter(w, from)).map((e) => e.action)).toEqual(["membership.deactivated", "token.revoked", "identity.deleted"]);
    const [ended] = await watchedAfter(w, from, 1);
    expect(ended).toMatchObject({ action: "membership.deactivated", principalId: bot.id, projectId: w.projectId });
  });
});
