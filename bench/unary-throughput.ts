// Unary throughput and latency of the Connect path, for comparison with the
// raw HTTP/2 fast path to come. Not part of the test run:
//   node bench/unary-throughput.ts [seconds=5] [concurrency=32]
// Starts the server in this process on a temp SQLite file, seeds one project
// with 200 members, then hammers CheckAccess (read) and AddProjectMember
// (write, one transaction + audit row each) over gRPC h2c and Connect JSON.
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MembershipService } from "../gen/membership/v1/membership_pb.js";
import { ProjectService } from "../gen/membership/v1/project_pb.js";
import { UserService } from "../gen/membership/v1/user_pb.js";
import { startServer } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 32);
const dir = mkdtempSync(join(tmpdir(), "bench-"));
const server = await startServer(loadConfig(["--port", "0", "--db", join(dir, "b.db"), "--log-level", "error", "--token-file", join(dir, "t")], {}));
const headers = { authorization: `Bearer ${server.bootstrap!.secret}` };

async function run(name: string, transport: Transport, call: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await call(i++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.floor(latencies.length * p)]!.toFixed(2);
  console.log(`${name.padEnd(34)} ${(latencies.length / seconds).toFixed(0).padStart(7)} req/s  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms`);
  void transport;
}

const seedT = createGrpcTransport({ baseUrl: server.url });
const projectId = (await createClient(ProjectService, seedT).createProject({ name: "bench" }, { headers })).project!.id;
const users = createClient(UserService, seedT);
const seeded: string[] = [];
for (let i = 0; i < 1200; i++) seeded.push((await users.createUser({ email: `u${i}@b.test`, firstName: "U", lastName: String(i) }, { headers })).user!.id);
const seedMembers = createClient(MembershipService, seedT);
for (const id of seeded.slice(0, 200)) await seedMembers.addProjectMember({ projectId, userId: id, roles: ["viewer"] }, { headers });

let next = 200;
for (const [proto, transport] of [
  ["grpc h2c", createGrpcTransport({ baseUrl: server.url })],
  ["connect json h2c", createConnectTransport({ baseUrl: server.url, httpVersion: "2" })],
] as const) {
  const m = createClient(MembershipService, transport);
  await run(`CheckAccess ${proto}`, transport, (i) =>
    m.checkAccess({ projectId, subject: { case: "userId", value: seeded[i % 200]! }, permission: "project.read" }, { headers }),
  );
  await run(`AddProjectMember ${proto}`, transport, () =>
    next < seeded.length ? m.addProjectMember({ projectId, userId: seeded[next++]!, roles: ["viewer"] }, { headers }) : m.listMemberships({ projectId, pageSize: 10 }, { headers }),
  );
}
await server.close();
rmSync(dir, { recursive: true, force: true });
