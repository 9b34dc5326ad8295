// Two writers on one database file: a live WatchMemberships on server A sees
// what a second server process B, or an offline command writing through the
// store's own code, commits, without any write on A to wake it.
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WatchMembershipsResponse } from "../../gen/membership/v1/membership_pb.js";
import { permanent } from "../../src/access/role-assignment.ts";
import { createServices } from "../../src/app.ts";
import { createChangeNotifier } from "../../src/audit/change-notifier.ts";
import { systemClock } from "../../src/kernel/clock.ts";
import type { CallContext } from "../../src/kernel/deps.ts";
import { createIdGenerator } from "../../src/kernel/ids.ts";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { clientsFor, createWorld, type World } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.ts";

let a: TestServer;
let w: World;
let b: ServerProcess | undefined;
beforeEach(async () => {
  a = await startTestServer({ file: true });
  w = await createWorld(a);
});
afterEach(async () => {
  if (b) {
    b.child.kill("SIGTERM");
    await b.exited;
    b = undefined;
  }
  await a.close();
});

/**
 * Opens a watch on A from the current end of the trail and makes sure it is
 * past its replay and waiting: it must first see one change made on A itself.
 */
async function liveWatch(total: number) {
  const ac = new AbortController();
  const events: WatchMembershipsResponse[] = [];
  const latest = (await w.c.audit.listAuditEvents({ pageSize: 1000 }, w.admin)).events.at(-1)!.sequence;
  const stream = w.c.members.watchMemberships({ projectId: w.projectId, afterSequence: latest }, { ...w.admin, signal: ac.signal });
  let sawFirst = () => {};
  const first = new Promise<void>((r) => (sawFirst = r));
  const done = (async () => {
    for await (const msg of stream) {
      events.push(msg);
      if (events.length === 1) sawFirst();
      if (events.length === total) break;
    }
    ac.abort();
    return events;
  })();
  await w.c.members.addProjectMember({ projectId: w.projectId, userId: (await w.newUser()).id }, w.admin);
  await first;
  // Past the replay: the next events can only come from a wake-up.
  await new Promise((r) => setTimeout(r, 200));
  return { done };
}

const principals = (events: WatchMembershipsResponse[]) => events.map((e) => e.event!.after!["principalId"]);

describe("two processes on one database", () => {
  it("a watcher on server A sees the members server process B adds, each once, in order", async () => {
    const users = await Promise.all([1, 2, 3].map(() => w.newUser()));
    b = await startServerProcess(["--db", a.dbPath, "--port", "0", "--log-level", "warn"]);
    const onB = clientsFor(createConnectTransport({ baseUrl: b.url, httpVersion: "2" }));
    const watched = await liveWatch(4);
    const added = [];
    for (const u of users) added.push(await onB.members.addProjectMember({ projectId: w.projectId, userId: u.id }, w.admin));
    const events = await watched.done;
    expect(events).toHaveLength(4);
    expect(principals(events.slice(1))).toEqual(users.map((u) => u.id));
    expect(events.slice(1).map((e) => e.event!.sequence)).toEqual(added.map((r) => r.details!.sequence));
  });

  it("a watcher on server A sees a membership an offline command writes through the store's own code", async () => {
    const user = await w.newUser();
    const watched = await liveWatch(2);
    // What a command beside the server does: its own store on the same file, the domain's own write path.
    const store = openSqliteStore(a.dbPath);
    try {
      const offline = createServices({ store, clock: systemClock, ids: createIdGenerator(), changes: createChangeNotifier() });
      const ctx: CallContext = {
        principal: { type: "user", id: a.adminUserId, organizationId: a.orgId, isInstanceAdmin: true, tokenId: "offline" },
        orgId: a.orgId,
        requestId: "offline-command",
      };
      const written = await offline.memberships.addProjectMember(ctx, { projectId: w.projectId, userId: user.id, roles: [permanent("viewer")] });
      const events = await watched.done;
      expect(events).toHaveLength(2);
      expect(principals(events.slice(1))).toEqual([user.id]);
      expect(events[1]!.event!.requestId).toBe("offline-command");
      expect(events[1]!.event!.sequence).toBe(BigInt(written.sequence));
    } finally {
      store.close();
    }
  });
});
