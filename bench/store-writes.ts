// Durable domain writes without the network: AddProjectMember through the
// membership service on a temp SQLite file (WAL, synchronous=FULL), with 1
// and with 16 calls in flight. Not part of the test run:
//   node bench/store-writes.ts [writes per run=3000]
// Prints writes/s and commits/s; commits come from the store's counters when
// it has them (group commit), else every write is its own commit.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootstrapIfEmpty } from "../src/domain/bootstrap.ts";
import { createChangeNotifier } from "../src/domain/change-notifier.ts";
import { systemClock } from "../src/domain/clock.ts";
import type { CallContext, Deps } from "../src/domain/context.ts";
import { createIdGenerator } from "../src/domain/ids.ts";
import { createMembershipService } from "../src/domain/membership-service.ts";
import { createProjectService } from "../src/domain/project-service.ts";
import { openSqliteStore } from "../src/storage/sqlite/sqlite-store.ts";

const perRun = Number(process.argv[2] ?? 3000);
const dir = mkdtempSync(join(tmpdir(), "bench-writes-"));
const store = openSqliteStore(join(dir, "b.db"));
const stats = (store as { stats?: { commits: number } }).stats;
const deps: Deps = { store, clock: systemClock, ids: createIdGenerator(), changes: createChangeNotifier() };
const boot = (await bootstrapIfEmpty(deps, { orgName: "bench", adminEmail: "admin@b.test" }))!;
const ctx: CallContext = {
  principal: { type: "user", id: boot.userId, organizationId: boot.organizationId, isInstanceAdmin: true, tokenId: boot.tokenId },
  orgId: boot.organizationId,
  requestId: "bench",
};
const memberships = createMembershipService(deps);
const projects = createProjectService(deps);

// Users are inserted directly: only the membership writes are measured.
const users: string[] = [];
await store.write(async (tx) => {
  for (let i = 0; i < perRun * 2; i++) {
    const id = deps.ids.next();
    users.push(id);
    await tx.users.insert({ id, organizationId: boot.organizationId, email: `u${i}@b.test`, firstName: "U", lastName: String(i), isInstanceAdmin: false, createdAt: Date.now() });
  }
});

for (const inFlight of [1, 16]) {
  const projectId = (await projects.create(ctx, { name: `bench ${inFlight}`, description: "" })).id;
  let next = 0;
  const commitsBefore = stats?.commits ?? 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < perRun) {
        const userId = users[next++]!;
        await memberships.addProjectMember(ctx, { projectId, userId, roles: ["viewer"], assignments: [] });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const commits = stats ? stats.commits - commitsBefore : perRun;
  console.log(
    `${String(inFlight).padStart(2)} in flight: ${(perRun / seconds).toFixed(0).padStart(6)} writes/s, ` +
      `${(commits / seconds).toFixed(0).padStart(6)} commits/s, ${(perRun / commits).toFixed(1)} writes per commit`,
  );
}
store.close();
rmSync(dir, { recursive: true, force: true });
