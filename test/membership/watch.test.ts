import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { WatchMembershipsResponse } from "../../gen/membership/v1/membership_pb.js";
import { codeOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { auth } from "../helpers/server.ts";

const w = useWorld();

/** Reads `n` events from a watch, then cancels it. */
async function take(stream: AsyncIterable<WatchMembershipsResponse>, n: number, ac: AbortController) {
  const out: WatchMembershipsResponse[] = [];
  for await (const msg of stream) {
    out.push(msg);
    if (out.length === n) break;
  }
  ac.abort();
  return out;
}

describe("WatchMemberships", () => {
  it("replays events after a sequence, then follows live ones", async () => {
    const [a, b, c] = [await w.newUser(), await w.newUser(), await w.newUser()];
    const first = await w.c.members.addProjectMember({ projectId: w.projectId, userId: a.id }, w.admin);
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: b.id }, w.admin);

    const ac = new AbortController();
    const stream = w.c.members.watchMemberships({ projectId: w.projectId, afterSequence: first.details!.sequence }, { ...w.admin, signal: ac.signal });
    const got = take(stream, 2, ac);
    await new Promise((r) => setTimeout(r, 50));
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: c.id }, w.admin);
    const events = await got;
    expect(events.map((e) => e.event!.after!["principalId"])).toEqual([b.id, c.id]);
    expect(events[1]!.event!.sequence).toBeGreaterThan(events[0]!.event!.sequence);
  });

  it("misses nothing across a reconnect from the last sequence", async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => w.newUser()));
    const ac1 = new AbortController();
    const s1 = w.c.members.watchMemberships({ projectId: w.projectId }, { ...w.admin, signal: ac1.signal });
    const firstTwo = take(s1, 2, ac1);
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: users[0]!.id }, w.admin);
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: users[1]!.id }, w.admin);
    const seen = await firstTwo;
    // Changes while disconnected.
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: users[2]!.id }, w.admin);
    await w.c.members.updateProjectMember({ projectId: w.projectId, userId: users[0]!.id, roles: ["viewer"] }, w.admin);
    const ac2 = new AbortController();
    const last = seen[1]!.event!.sequence;
    const rest = await take(w.c.members.watchMemberships({ projectId: w.projectId, afterSequence: last }, { ...w.admin, signal: ac2.signal }), 2, ac2);
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
    const ac = new AbortController();
    // The admin watches org 1 (its own): the org-2 change must not show, the org-1 one must.
    const got = take(w.c.members.watchMemberships({}, { ...w.admin, signal: ac.signal }), 1, ac);
    await new Promise((r) => setTimeout(r, 30));
    await w.c.members.addProjectMember({ projectId: p2, userId: u2.id }, auth(w.ts.adminToken, org2));
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u1.id }, w.admin);
    const [e] = await got;
    expect(e!.event!.organizationId).toBe(w.ts.orgId);
    expect(e!.event!.projectId).toBe(w.projectId);

    // A project of another organization is not found from here; a plain user may not watch.
    const drain = async (s: AsyncIterable<unknown>) => {
      for await (const _ of s) break;
    };
    expect(await codeOf(drain(w.c.members.watchMemberships({ projectId: p2 }, w.admin)))).toBe(Code.NotFound);
    expect(await codeOf(drain(w.c.members.watchMemberships({ projectId: w.projectId }, u1.as)))).toBe(Code.PermissionDenied);
    expect(await codeOf(drain(w.c.members.watchMemberships({}, u1.as)))).toBe(Code.PermissionDenied);
  });

  it("ends cleanly when the client goes away, and with UNAVAILABLE on server stop", async () => {
    const ac = new AbortController();
    const stream = w.c.members.watchMemberships({ projectId: w.projectId }, { ...w.admin, signal: ac.signal });
    const done = (async () => {
      try {
        for await (const _ of stream) {
          /* nothing comes */
        }
        return "ended";
      } catch (err) {
        return (err as { code?: number }).code === Code.Canceled ? "canceled" : String(err);
      }
    })();
    setTimeout(() => ac.abort(), 50);
    expect(await done).toBe("canceled");

    const live = w.c.members.watchMemberships({ projectId: w.projectId }, w.admin);
    const ended = (async () => {
      for await (const _ of live) {
        /* nothing */
      }
      return "ended";
    })().catch((e) => `error ${(e as { code?: number }).code}`);
    await new Promise((r) => setTimeout(r, 50));
    const t = Date.now();
    await w.ts.server.close();
    expect(await ended).toBe(`error ${Code.Unavailable}`);
    expect(Date.now() - t).toBeLessThan(1500);
  });
});
