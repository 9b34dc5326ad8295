import { Code } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { codeOf } from "../helpers/call-outcomes.ts";
import { temporaryRole, useWorld } from "../helpers/fixtures.ts";

const T0 = Date.UTC(2030, 0, 1, 9);
const HOUR = 3_600_000;

const w = useWorld({ clockAt: T0 });

const tempAdmin = (startMs: number, range = "3h") => temporaryRole("admin", range, startMs);

describe("temporary access", () => {
  it("grants only inside [start, end), without sleeping", async () => {
    const u = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roleAssignments: [tempAdmin(T0 + HOUR)] }, w.admin);
    const check = async () =>
      (await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.member.write" }, u.as)).allowed;

    expect(await check()).toBe(false); // before start
    expect(await codeOf(w.c.members.listMemberships({ projectId: w.projectId }, u.as))).toBe(Code.PermissionDenied);

    w.ts.clock!.set(T0 + HOUR); // at start: inside
    expect(await check()).toBe(true);
    const res = await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.member.write" }, u.as);
    expect(res.roles.map((r) => r.role)).toEqual(["admin"]);
    expect(timestampDate(res.roles[0]!.expireTime!).getTime()).toBe(T0 + 4 * HOUR);
    expect((await w.c.members.listMemberships({ projectId: w.projectId }, u.as)).memberships.length).toBeGreaterThan(0);

    w.ts.clock!.set(T0 + 4 * HOUR - 1); // last millisecond
    expect(await check()).toBe(true);
    w.ts.clock!.set(T0 + 4 * HOUR); // at end: outside
    expect(await check()).toBe(false);
    expect(await codeOf(w.c.members.listMemberships({ projectId: w.projectId }, u.as))).toBe(Code.PermissionDenied);
  });

  it("still lists an expired role, with its times", async () => {
    const u = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roleAssignments: [tempAdmin(T0, "1m")] }, w.admin);
    w.ts.clock!.advance(HOUR);
    const { memberships } = await w.c.members.listMemberships({ projectId: w.projectId }, w.admin);
    const role = memberships.find((m) => m.userId === u.id)!.roles[0]!;
    expect(role.isTemporary).toBe(true);
    expect(role.temporaryRange).toBe("1m");
    expect(timestampDate(role.temporaryAccessStartTime!).getTime()).toBe(T0);
    expect(timestampDate(role.temporaryAccessEndTime!).getTime()).toBe(T0 + 60_000);
  });

  it("keeps permanent roles granting next to an expired temporary one", async () => {
    const u = await w.newUser();
    await w.c.members.addProjectMember(
      { projectId: w.projectId, userId: u.id, roles: ["member"], roleAssignments: [tempAdmin(T0, "30s")] },
      w.admin,
    );
    w.ts.clock!.advance(31_000);
    const res = await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.member.read" }, u.as);
    expect(res.allowed).toBe(true);
    expect(res.roles.map((r) => r.role)).toEqual(["member"]);
  });
});

describe("CheckAccess", () => {
  it("lets a caller check itself without any permission", async () => {
    const u = await w.newUser();
    const res = await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.read" }, u.as);
    expect(res.allowed).toBe(false);
    expect(res.roles).toEqual([]);
  });

  it("needs project.member.read to check others", async () => {
    const viewer = await w.newUser();
    const member = await w.newUser();
    const target = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: viewer.id, roles: ["viewer"] }, w.admin);
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: member.id, roles: ["member"] }, w.admin);
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: target.id, roles: ["admin"] }, w.admin);
    const ask = { projectId: w.projectId, subject: { case: "userId" as const, value: target.id }, permission: "project.member.delete" };
    expect(await codeOf(w.c.members.checkAccess(ask, viewer.as))).toBe(Code.PermissionDenied);
    expect((await w.c.members.checkAccess(ask, member.as)).allowed).toBe(true);
  });

  it("checks identities, and grants nothing to memberships that are not active", async () => {
    const bot = await w.newIdentity();
    const { identityMembership } = await w.c.members.createIdentityMembership(
      { projectId: w.projectId, identityId: bot.id, roles: [{ role: "admin" }] },
      w.admin,
    );
    const ask = { projectId: w.projectId, subject: { case: "identityId" as const, value: bot.id }, permission: "project.write" };
    expect((await w.c.members.checkAccess(ask, w.admin)).allowed).toBe(true);
    await w.c.members.suspendMembership({ membershipId: identityMembership!.id }, w.admin);
    expect((await w.c.members.checkAccess(ask, w.admin)).allowed).toBe(false);
    expect((await w.c.members.checkAccess({ projectId: w.projectId, permission: "project.write" }, bot.as)).allowed).toBe(false);
  });

  it("refuses an unknown permission name", async () => {
    expect(await codeOf(w.c.members.checkAccess({ projectId: w.projectId, permission: "launch.missiles" }, w.admin))).toBe(
      Code.InvalidArgument,
    );
  });
});
