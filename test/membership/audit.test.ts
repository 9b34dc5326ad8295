import { Code } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { codeOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";

const T0 = Date.UTC(2030, 2, 1);

const w = useWorld({ clockAt: T0 });

describe("audit trail", () => {
  it("records every membership change with actor, target, request id, before and after", async () => {
    const u = await w.newUser();
    const headers = { ...w.admin.headers, "x-request-id": "req-audit-1" };
    const add = await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["viewer"] }, { headers });
    await w.c.members.updateProjectMember({ projectId: w.projectId, userId: u.id, roles: ["member"] }, w.admin);
    await w.c.members.removeProjectMember({ projectId: w.projectId, userId: u.id }, w.admin);

    const { events } = await w.c.audit.listAuditEvents({ projectId: w.projectId, action: "" }, w.admin);
    const mine = events.filter((e) => e.targetType === "membership");
    expect(mine.map((e) => e.action)).toEqual(["membership.added", "membership.roles_replaced", "membership.deactivated"]);
    const [added, replaced, removed] = mine;
    expect(added!.sequence).toBe(add.details!.sequence);
    expect(added!.requestId).toBe("req-audit-1");
    expect(added!.actorType).toBe("user");
    expect(added!.actorId).toBe(w.ts.adminUserId);
    expect(added!.organizationId).toBe(w.ts.orgId);
    expect(added!.before).toBeUndefined();
    expect(added!.after).toMatchObject({ principalId: u.id, status: "active", roles: [{ role: "viewer" }] });
    expect(replaced!.before).toMatchObject({ roles: [{ role: "viewer" }] });
    expect(replaced!.after).toMatchObject({ roles: [{ role: "member" }] });
    expect(removed!.after).toMatchObject({ status: "deactivated", roles: [] });
    expect(replaced!.sequence).toBeGreaterThan(added!.sequence);
    expect(removed!.sequence).toBeGreaterThan(replaced!.sequence);
  });

  it("filters by project, actor, target, action and time range, and pages", async () => {
    const other = await w.newProject();
    const a = await w.newUser();
    const b = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: a.id, roles: ["admin"] }, w.admin);
    w.ts.clock!.advance(60_000);
    await w.c.members.addProjectMember({ projectId: other, userId: b.id }, w.admin);
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: b.id }, a.as);

    const list = async (req: object) => (await w.c.audit.listAuditEvents(req, w.admin)).events;
    expect((await list({ projectId: other })).every((e) => e.projectId === other)).toBe(true);
    expect((await list({ actorId: a.id })).map((e) => e.action)).toEqual(["membership.added"]);
    const membershipOfA = (await list({ action: "membership.added", projectId: w.projectId }))[0]!;
    expect((await list({ targetId: membershipOfA.targetId })).length).toBe(1);
    const late = await list({ startTime: timestampFromMs(T0 + 60_000), action: "membership.added" });
    expect(late).toHaveLength(2);
    const early = await list({ endTime: timestampFromMs(T0 + 60_000), action: "membership.added" });
    expect(early).toHaveLength(1);

    const all = await list({});
    const paged: bigint[] = [];
    let pageToken = "";
    do {
      const page = await w.c.audit.listAuditEvents({ pageSize: 2, pageToken }, w.admin);
      paged.push(...page.events.map((e) => e.sequence));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(paged).toEqual(all.map((e) => e.sequence));
  });

  it("needs audit.read", async () => {
    const viewer = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: viewer.id, roles: ["member"] }, w.admin);
    expect(await codeOf(w.c.audit.listAuditEvents({ projectId: w.projectId }, viewer.as))).toBe(Code.PermissionDenied);
    expect(await codeOf(w.c.audit.listAuditEvents({}, viewer.as))).toBe(Code.PermissionDenied);
    const owner = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: owner.id, roles: ["PROJECT_OWNER_VIEWER"] }, w.admin);
    expect((await w.c.audit.listAuditEvents({ projectId: w.projectId }, owner.as)).events.length).toBeGreaterThan(0);
  });

  it("writes nothing when a write fails", async () => {
    const before = (await w.c.audit.listAuditEvents({}, w.admin)).events.length;
    await codeOf(w.c.members.addProjectMember({ projectId: w.projectId, userId: "missing", roles: ["admin"] }, w.admin));
    await codeOf(w.c.members.addProjectMember({ projectId: w.projectId, userId: w.ts.adminUserId, roles: ["wizard"] }, w.admin));
    expect((await w.c.audit.listAuditEvents({}, w.admin)).events.length).toBe(before);
  });
});
