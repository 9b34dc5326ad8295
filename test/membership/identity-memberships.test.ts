import { Code } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { MembershipStatus, TemporaryMode } from "../../gen/membership/v1/common_pb.js";
import { codeOf, errorOf } from "../helpers/call-outcomes.ts";
import { temporaryRole as temp, useWorld } from "../helpers/fixtures.ts";

const w = useWorld();

describe("CreateIdentityMembership", () => {
  it("defaults to the no-access role when no roles are given", async () => {
    const bot = await w.newIdentity();
    const { identityMembership: m } = await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    expect(m!.identityId).toBe(bot.id);
    expect(m!.projectId).toBe(w.projectId);
    expect(m!.status).toBe(MembershipStatus.ACTIVE);
    expect(m!.createdAt).toBeDefined();
    expect(m!.roles.map((r) => r.role)).toEqual(["no-access"]);
  });

  it("uses role only when roles is empty", async () => {
    const bot = await w.newIdentity();
    const { identityMembership: m } = await w.c.members.createIdentityMembership(
      { projectId: w.projectId, identityId: bot.id, role: "viewer", roles: [{ role: "member" }] },
      w.admin,
    );
    expect(m!.roles.map((r) => r.role)).toEqual(["member"]);
  });

  it("computes the end of a temporary role once, as start + range", async () => {
    const bot = await w.newIdentity();
    const start = Date.UTC(2030, 0, 1, 12);
    const { identityMembership: m } = await w.c.members.createIdentityMembership(
      { projectId: w.projectId, identityId: bot.id, roles: [temp("admin", "3h", start), { role: "viewer" }] },
      w.admin,
    );
    const admin = m!.roles.find((r) => r.role === "admin")!;
    expect(admin.isTemporary).toBe(true);
    expect(admin.temporaryMode).toBe(TemporaryMode.RELATIVE);
    expect(admin.temporaryRange).toBe("3h");
    expect(timestampDate(admin.temporaryAccessEndTime!).getTime()).toBe(start + 3 * 3_600_000);
    expect(m!.roles.find((r) => r.role === "viewer")!.isTemporary).toBe(false);
  });

  it("answers NOT_FOUND for an unknown identity or project", async () => {
    const bot = await w.newIdentity();
    expect(await codeOf(w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: "404" }, w.admin))).toBe(Code.NotFound);
    expect(await codeOf(w.c.members.createIdentityMembership({ projectId: "404", identityId: bot.id }, w.admin))).toBe(Code.NotFound);
  });

  it("answers NOT_FOUND for an identity of another organization, as for one that exists nowhere", async () => {
    const other = await w.newOrg();
    const bot = await w.newIdentity("stranger", other);
    expect(await codeOf(w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin))).toBe(
      Code.NotFound,
    );
  });

  it("answers ALREADY_EXISTS for an active member", async () => {
    const bot = await w.newIdentity();
    await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    expect(await codeOf(w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin))).toBe(
      Code.AlreadyExists,
    );
  });

  it.each([
    ["an unknown role", { role: "wizard" }, "roles[0].role"],
    ["a temporary role without mode", { ...temp("admin", "1h", 0), temporaryMode: TemporaryMode.UNSPECIFIED }, "roles[0].temporary_mode"],
    ["a temporary role without range", temp("admin", "", 0), "roles[0].temporary_range"],
    ["a range that does not parse", temp("admin", "3 hours", 0), "roles[0].temporary_range"],
    ["a range that is not positive", temp("admin", "0s", 0), "roles[0].temporary_range"],
    ["a temporary role without start", { ...temp("admin", "1h", 0), temporaryAccessStartTime: undefined }, "roles[0].temporary_access_start_time"],
  ])("refuses %s with INVALID_ARGUMENT naming the field", async (_name, role, field) => {
    const bot = await w.newIdentity();
    const err = await errorOf(w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [role] }, w.admin));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain(field);
    // Nothing half-written: the identity is still not a member.
    expect(await codeOf(w.c.members.getIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin))).toBe(Code.NotFound);
  });
});

describe("UpdateIdentityMembership", () => {
  it("replaces all roles and returns them with their membership id and times", async () => {
    const bot = await w.newIdentity();
    const { identityMembership: m } = await w.c.members.createIdentityMembership(
      { projectId: w.projectId, identityId: bot.id, roles: [{ role: "viewer" }, { role: "member" }] },
      w.admin,
    );
    const start = Date.UTC(2031, 5, 1);
    const { roles } = await w.c.members.updateIdentityMembership(
      { projectId: w.projectId, identityId: bot.id, roles: [temp("admin", "7d", start)] },
      w.admin,
    );
    expect(roles).toHaveLength(1);
    expect(roles[0]!.role).toBe("admin");
    expect(roles[0]!.projectMembershipId).toBe(m!.id);
    expect(roles[0]!.createdAt).toBeDefined();
    expect(roles[0]!.updatedAt).toBeDefined();
    expect(timestampDate(roles[0]!.temporaryAccessEndTime!).getTime()).toBe(start + 7 * 86_400_000);
    const got = await w.c.members.getIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    expect(got.identityMembership!.roles.map((r) => r.role)).toEqual(["admin"]);
  });

  it("needs at least one role", async () => {
    const bot = await w.newIdentity();
    await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    expect(await codeOf(w.c.members.updateIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [] }, w.admin))).toBe(
      Code.InvalidArgument,
    );
  });

  it("answers NOT_FOUND for a non-member", async () => {
    const bot = await w.newIdentity();
    expect(
      await codeOf(w.c.members.updateIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [{ role: "viewer" }] }, w.admin)),
    ).toBe(Code.NotFound);
  });
});

describe("Get, List and DeleteIdentityMembership", () => {
  it("lists identity memberships in pages and deletes by deactivating", async () => {
    const bots = [await w.newIdentity(), await w.newIdentity(), await w.newIdentity()];
    for (const b of bots) await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: b.id }, w.admin);
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await w.c.members.listIdentityMemberships({ projectId: w.projectId, pageSize: 2, pageToken }, w.admin);
      seen.push(...page.identityMemberships.map((m) => m.identityId));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen.sort()).toEqual(bots.map((b) => b.id).sort());

    const { identityMembership: gone } = await w.c.members.deleteIdentityMembership({ projectId: w.projectId, identityId: bots[0]!.id }, w.admin);
    expect(gone!.status).toBe(MembershipStatus.DEACTIVATED);
    expect(gone!.roles).toHaveLength(0);
    expect(gone!.deactivatedAt).toBeDefined();
    const after = await w.c.members.listIdentityMemberships({ projectId: w.projectId }, w.admin);
    expect(after.identityMemberships.map((m) => m.identityId)).not.toContain(bots[0]!.id);
    const all = await w.c.members.listIdentityMemberships(
      { projectId: w.projectId, filter: { statuses: [MembershipStatus.DEACTIVATED] } },
      w.admin,
    );
    expect(all.identityMemberships.map((m) => m.identityId)).toEqual([bots[0]!.id]);
  });

  it("re-activates a deleted membership when the identity is added again", async () => {
    const bot = await w.newIdentity();
    const first = await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    await w.c.members.deleteIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    const again = await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [{ role: "viewer" }] }, w.admin);
    expect(again.identityMembership!.id).toBe(first.identityMembership!.id);
    expect(again.identityMembership!.status).toBe(MembershipStatus.ACTIVE);
    expect(again.identityMembership!.roles.map((r) => r.role)).toEqual(["viewer"]);
  });

  it("answers NOT_FOUND when deleting a non-member", async () => {
    const bot = await w.newIdentity();
    expect(await codeOf(w.c.members.deleteIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin))).toBe(Code.NotFound);
  });
});
