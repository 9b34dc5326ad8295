// Durable AddProjectMember writes on a temp SQLite file (WAL,
// synchronous=FULL), with 1 and with 16 in flight: first through the domain
// service alone, then through the server over gRPC and Connect (h2c), so the
// gain of group commit shows with and without the network. Not part of the
// test run:
//   node bench/store-writes.ts [writes per run=3000]
// Prints writes/s, commits/s and the CPU time of this process (server and
// clients) per write; commits come from the store's counters when it has
// them (group commit), else every write is its own commit.
import { permanent } from "../src/access/role-assignment.ts";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MembershipService } from "../gen/membership/v1/membership_pb.js";
import { startServer } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { CallContext } from "../src/kernel/deps.ts";
import { createMembershipService } from "../src/membership/membership-service.ts";
import { createProjectService } from "../src/projects/project-service.ts";

const perRun = Number(process.argv[2] ?? 3000);
const dir = mkdtempSync(join(tmpdir(), "bench-writes-"));
const config = loadConfig(["--port", "0", "--db", join(dir, "b.db"), "--log-level", "error", "--token-file", join(dir, "t")], {});
const server = await startServer(config);
const { deps } = server;
const boot = server.bootstrap!;
const stats = (deps.store as { stats?: { commits: number } }).stats;
const ctx: CallContext = {
  principal: { type: "user", id: boot.userId, organizationId: boot.organizationId, isInstanceAdmin: true, tokenId: boot.tokenId },
  orgId: boot.organizationId,
  requestId: "bench",
};
const memberships = createMembershipService(deps);
const projects = createProjectService(deps);
const runs = 4;

// Users are inserted directly, in one transaction: only the membership writes are measured.
const users: string[] = [];
await deps.store.write(async (tx) => {
  for (let i = 0; i < perRun * runs; i++) {
    const id = deps.ids.next();
    users.push(id);
    await tx.users.insert({ id, organizationId: boot.organizationId, email: `u${i}@b.test`, firstName: "U", lastName: String(i), isInstanceAdmin: false, createdAt: Date.now() });
  }
});

async function run(name: string, inFlight: number, add: (projectId: string, userId: string) => Promise<unknown>) {
  const projectId = (await projects.create(ctx, { name, description: "" })).id;
  const mine = users.splice(0, perRun);
  const commitsBefore = stats?.commits ?? 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let userId = mine.pop(); userId !== undefined; userId = mine.pop()) await add(projectId, userId);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const commits = stats ? stats.commits - commitsBefore : perRun;
  console.log(
    `${name.padEnd(22)} ${String(inFlight).padStart(2)} in flight: ${(perRun / seconds).toFixed(0).padStart(6)} writes/s, ` +
      `${(commits / seconds).toFixed(0).padStart(6)} commits/s, ${(perRun / commits).toFixed(1)} writes per commit, ` +
      `${((cpu.user + cpu.system) / perRun).toFixed(0)} µs CPU per write (this process)`,
  );
}

for (const inFlight of [1, 16]) {
  await run("domain", inFlight, (projectId, userId) => memberships.addProjectMember(ctx, { projectId, userId, roles: [permanent("viewer")] }));
}
const headers = { authorization: `Bearer ${boot.secret}` };
for (const [name, transport] of [
  ["server, gRPC h2c", createGrpcTransport({ baseUrl: server.url })],
  ["server, Connect h2c", createConnectTransport({ baseUrl: server.url, httpVersion: "2" })],
] as [string, Transport][]) {
  const client = createClient(MembershipService, transport);
  await run(name, 16, (projectId, userId) => client.addProjectMember({ projectId, userId, roles: ["viewer"] }, { headers }));
}
await server.close();
rmSync(dir, { recursive: true, force: true });
