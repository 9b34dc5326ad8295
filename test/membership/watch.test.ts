import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { codeOf, drain, take } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { auth } from "../helpers/server.ts";

const w = useWorld();

/** Exactly `n` events of a watch (as the admin unless `as` says), then the watch is cancelled. */
const watch = (n: number, req: { projectId?: string; afterSequence?: bigint }, as = w.admin) =>
  take(n, (signal) => w.c.members.watchMemberships(req, { ...as, signal }));

describe("WatchMemberships", () => {
  it("replays events after a sequence, then follows live ones", async () => {
    const [a, b, c] = [await w.newUser(), await w.newUser(), await w.newUser()];
    const first = await w.c.members.addProjectMember({ projectId: w.projectId, userId: a.id }, w.admin);
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: b.id }, w.admin);

    const got = watch(2, { projectId: w.projectId, afterSequence: first.details!.sequence });
    await new Promise((r) => setTimeout(r, 50));
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: c.id }, w.admin);
    const events = await got;
    expect(events.map((e) => e.event!.after!["principalId"])).toEqual([b.id, c.id]);
    expect(events[1]!.event!.sequence).toBeGreaterThan(events[0]!.event!.sequence);
  });

  it("misses nothing across a reconnect from the last sequence", async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => w.newUser()));
    const firstTwo = watch(2, { projectId: w.projectId });
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: users[0]!.id }, w.admin);
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: users[1]!.id }, w.admin);
    const seen = await firstTwo;
    // Changes while disconnected.
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: users[2]!.id }, w.admin);
    await w.c.members.updateProjectMember({ projectId: w.projectId, userId: users[0]!.id, roles: ["viewer"] }, w.admin);
    const rest = await watch(2, { projectId: w.projectId, afterSequence: seen[1]!.event!.sequence });
    expect([...seen, ...rest].map((e) => e.event!.action)).toEqual([
      "membership.added",
      "membership.added",
      "membership.added",
      "membership.roles_replaced",
    ]);
    const sequences = [...seen, ...rest].map((e) => e.event!.sequence);
    expect(new Set(sequences).size).toBe(4);
  });

  it("keeps organizations apart and respects permissions", async () => {
    const org2 = await w.newOrg();
    const p2 = await w.newProject("elsewhere", org2);
    const u2 = await w.newUser("far", org2);
    const u1 = await w.newUser();
    // The admin watches org 1 (its own): the org-2 change must not show, the org-1 one must.
    const got = watch(1, {});
    await new Promise((r) => setTimeout(r, 30));
    await w.c.members.addProjectMember({ projectId: p2, userId: u2.id }, auth(w.ts.adminToken, org2));
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u1.id }, w.admin);
    const [e] = await got;
    expect(e!.event!.organizationId).toBe(w.ts.orgId);
    expect(e!.event!.projectId).toBe(w.projectId);
    expect(e!.event!.after!["principalId"]).toBe(u1.id);

    // A project of another organization is not found from here; a plain user may not watch.
    expect(await codeOf(watch(1, { projectId: p2 }))).toBe(Code.NotFound);
    expect(await codeOf(watch(1, { projectId: w.projectId }, u1.as))).toBe(Code.PermissionDenied);
    expect(await codeOf(watch(1, {}, u1.as))).toBe(Code.PermissionDenied);
  });
});

describe("WatchMemberships on a server that stops", () => {
  const w2 = useWorld({ shutdownGraceMs: 600_000 });

  it("ends cleanly when the client goes away, and with UNAVAILABLE on server stop", async () => {
    // The project has no membership events: nothing comes before the end.
    const ac = new AbortController();
    const done = drain(w2.c.members.watchMemberships({ projectId: w2.projectId }, { ...w2.admin, signal: ac.signal }));
    setTimeout(() => ac.abort(), 50);
    expect(await done).toEqual({ messages: [], code: Code.Canceled });

    const ended = drain(w2.c.members.watchMemberships({ projectId: w2.projectId }, w2.admin));
    await new Promise((r) => setTimeout(r, 50));
    // The grace period is far longer than the test may take: a stream that
    // waited it out, instead of ending at once, fails the test by its timeout.
    await w2.ts.server.close();
    expect(await ended).toEqual({ messages: [], code: Code.Unavailable });
  });
});
