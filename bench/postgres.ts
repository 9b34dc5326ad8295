// PostgreSQL beside SQLite: CheckAccess, ListMemberships and AddProjectMember
// (gRPC, the Node generator) against one server on a SQLite file, one server
// on PostgreSQL, and two server processes on the same PostgreSQL database,
// each with a generator of its own (the connections split between them).
// The PostgreSQL is a throwaway cluster (scripts/test-postgres.ts: fsync off,
// as the SQLite seed sits on tmpfs); the figures compare the stores, not disks.
//   node bench/postgres.ts [--users N] [--duration-ms MS] [--reps N]   (npm run bench runs it with its own settings)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { findPostgresBin, startTestPostgres } from "../scripts/test-postgres.ts";
import type { GeneratorConfig, GeneratorResult } from "./load-generator.ts";
import { startServer, stopProcess, type Server } from "./proc.ts";
import { SCENARIOS, type ScenarioId } from "./requests.ts";
import { seedDatabase, SHAPE } from "./seed.ts";

export interface PgBenchSettings {
  repoRoot: string;
  users: number;
  warmupMs: number;
  durationMs: number;
  reps: number;
}

type Setup = { id: string; label: string; store: "sqlite" | "postgres"; processes: number };
const SETUPS: Setup[] = [
  { id: "sqlite", label: "SQLite, 1 process", store: "sqlite", processes: 1 },
  { id: "pg1", label: "PostgreSQL, 1 process", store: "postgres", processes: 1 },
  { id: "pg2", label: "PostgreSQL, 2 processes", store: "postgres", processes: 2 },
];
const BENCH_SCENARIOS: ScenarioId[] = ["check-access", "list-memberships", "add-project-member"];
const CONNECTIONS = 16;

function generate(repoRoot: string, config: GeneratorConfig): Promise<GeneratorResult> {
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", "bench/load-generator.ts", JSON.stringify(config)], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  return new Promise((resolve, reject) =>
    child.once("close", (code) => (code === 0 ? resolve(JSON.parse(out, (_, v: unknown) => (v === null ? NaN : v)) as GeneratorResult) : reject(new Error(`load generator exited with ${code}`)))),
  );
}

/** Runs every scenario against every setup; returns the markdown section of the report. */
export async function benchPostgres(s: PgBenchSettings, log: (line: string) => void): Promise<string> {
  const bin = findPostgresBin();
  if (!bin) return "## PostgreSQL\n\nNot measured: no PostgreSQL binaries (apt-get install postgresql).\n";
  const dir = mkdtempSync(join(tmpdir(), "membership-bench-pg-"));
  const cluster = await startTestPostgres(bin);
  const servers: Server[] = [];
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query("CREATE DATABASE bench");
    await admin.end();
    const pgUrl = cluster.url.replace(/\/postgres$/, "/bench");
    const shape = { ...SHAPE, users: s.users, identities: 0 };
    const dbs = { sqlite: join(dir, "bench.db"), postgres: pgUrl };
    const seedFiles: Record<string, string> = {};
    for (const store of ["sqlite", "postgres"] as const) {
      const t = performance.now();
      const seed = await seedDatabase(dbs[store], shape);
      seedFiles[store] = join(dir, `seed-${store}.json`);
      writeFileSync(seedFiles[store], JSON.stringify(seed));
      log(`seeded ${store} (${s.users} users) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const rows: string[] = [];
    // Every run's writes start past the last one's, in each store's own space of (project 1-19, user) pairs;
    // two generators at once start a quarter of that space apart.
    const cursors: Record<Setup["store"], number> = { sqlite: 0, postgres: 0 };
    const span = Math.floor((s.users * (shape.projects - 1)) / 4);
    for (const scenario of BENCH_SCENARIOS) {
      const rps: Record<string, number[]> = {};
      for (let rep = 0; rep < s.reps; rep++) {
        for (const setup of SETUPS) {
          const procs: Server[] = [];
          for (let i = 0; i < setup.processes; i++) {
            const args = ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "src/main.ts", "--port", "0", "--db", dbs[setup.store], "--token-file", join(dir, "token"), "--log-level", "error"];
            procs.push(await startServer(`${setup.id}-${i}`, args, null, s.repoRoot));
          }
          servers.push(...procs);
          const results = await Promise.all(
            procs.map((p, i) =>
              generate(s.repoRoot, {
                url: p.url, scenario, protocol: "grpc", seedFile: seedFiles[setup.store]!, cursor: cursors[setup.store] + i * span,
                connections: CONNECTIONS / setup.processes, streams: 10, warmupMs: s.warmupMs, durationMs: s.durationMs,
              }),
            ),
          );
          if (SCENARIOS[scenario].varying) cursors[setup.store] += (setup.processes - 1) * span + Math.max(...results.map((r) => r.started));
          const total = results.reduce((a, r) => a + r.rps, 0);
          const failed = results.reduce((a, r) => a + Object.values(r.errors).reduce((x, y) => x + y, 0), 0);
          (rps[setup.id] ??= []).push(total);
          log(`${scenario}, ${setup.label}: ${total.toFixed(0)} req/s, p50 ${results.map((r) => r.p50Ms.toFixed(1)).join("/")} ms${failed ? `, ${failed} failed: ${results.find((r) => r.firstError)?.firstError}` : ""}`);
          await Promise.all(procs.map((p) => stopProcess(p.child)));
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const base = median(rps["sqlite"]!);
      const cell = (id: string) => `${median(rps[id]!).toFixed(0)} (${(median(rps[id]!) / base).toFixed(2)}×)`;
      rows.push(`| ${SCENARIOS[scenario].label.replace("50 of 10k", `50 of ${s.users}`)} | ${cell("sqlite")} | ${cell("pg1")} | ${cell("pg2")} |`);
    }
    return [
      "## PostgreSQL",
      "",
      `gRPC, the Node generator, ${CONNECTIONS} connections × 10 streams in all (split evenly over the processes), ${s.warmupMs} ms warm-up + ${s.durationMs} ms measured, median of ${s.reps}; requests per second and the ratio to SQLite. Seed: ${s.users} users in project 0, 20 projects. PostgreSQL on the same machine, fsync off (a throwaway cluster, as SQLite's seed sits on tmpfs here); servers and generators are not pinned.`,
      "",
      "| Case | SQLite, 1 process | PostgreSQL, 1 process | PostgreSQL, 2 processes |",
      "|---|---|---|---|",
      ...rows,
      "",
    ].join("\n");
  } finally {
    await Promise.all(servers.map((p) => stopProcess(p.child)));
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { users: { type: "string" }, "duration-ms": { type: "string" }, reps: { type: "string" } } });
  const section = await benchPostgres(
    { repoRoot: join(import.meta.dirname, ".."), users: Number(values.users ?? 2000), warmupMs: 500, durationMs: Number(values["duration-ms"] ?? 2000), reps: Number(values.reps ?? 1) },
    (line) => process.stdout.write(line + "\n"),
  );
  process.stdout.write("\n" + section);
}
