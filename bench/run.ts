// npm run bench [-- --quick] [--reps N] [--duration-ms MS] [--only TEXT] [--out FILE] [--keep] [--no-postgres]
// Seeds one database, starts every server on its own copy, runs each case
// against its servers in alternation, then start-up time and a CPU profile;
// then the same cases on PostgreSQL with one and two processes (bench/postgres.ts);
// prints the report and writes BENCHMARKS.md. See bench/README.md.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CASES as ALL_CASES, TARGETS, caseKey, type TargetId } from "./cases.ts";
import { failedRun, runOnce, type RunResult, type RunSettings, type Target } from "./measure.ts";
import { pinning, startServer, stopProcess, type Server } from "./proc.ts";
import { benchPostgres } from "./postgres.ts";
import { profileCheckAccess } from "./profile-run.ts";
import { renderReport, runKey } from "./report.ts";
import { PROTOCOLS, SCENARIOS } from "./requests.ts";
import { SHAPE, seedDatabase } from "./seed.ts";
import { measureStartup } from "./startup-time.ts";

const { values: opt } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    reps: { type: "string" },
    "duration-ms": { type: "string" },
    out: { type: "string" },
    keep: { type: "boolean", default: false },
    only: { type: "string" },
    "no-postgres": { type: "boolean", default: false },
  },
});
const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const reps = Number(opt.reps ?? 3);
const durationMs = Number(opt["duration-ms"] ?? (opt.quick ? 1000 : 2500));
const warmupMs = opt.quick ? 500 : 1000;
const out = opt.out ?? join(repoRoot, "BENCHMARKS.md");
// --only check-access/grpc keeps the cases whose key (scenario/protocol/generator) contains it.
const CASES = ALL_CASES.filter((k) => opt.only === undefined || caseKey(k).includes(opt.only));

if (spawnSync("h2load", ["--version"]).status !== 0) {
  process.stderr.write("h2load not found. On Debian or Ubuntu: apt-get install -y nghttp2-client\n");
  process.exit(1);
}
if (!pinning()) process.stderr.write("warning: no taskset or fewer than 2 cores; server and generators are not pinned\n");

/** Microseconds some task spent waiting for a CPU since boot (Linux PSI); NaN where not available. */
function cpuPressureUs(): number {
  try {
    return Number(/some .*total=(\d+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"))?.[1]);
  } catch {
    return NaN;
  }
}

const dir = mkdtempSync(join(tmpdir(), "membership-bench-"));
// Seeding writes ~22,000 transactions with fsync; on tmpfs that costs nothing.
const seedDir = existsSync("/dev/shm") ? mkdtempSync("/dev/shm/membership-bench-seed-") : dir;
const seedDb = join(seedDir, "seed.db"); // removed on exit, with seedDir
const servers: Server[] = [];
const stopAll = () => Promise.all(servers.map((s) => stopProcess(s.child)));
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));
// However this process ends (a crash, Ctrl-C, a closed stdout), it leaves no server and no temp files behind.
process.once("exit", () => {
  servers.forEach((s) => s.child.kill("SIGKILL"));
  if (!opt.keep) rmSync(dir, { recursive: true, force: true });
  rmSync(seedDir, { recursive: true, force: true });
});

try {
  const load0 = loadavg();
  const pressure0 = cpuPressureUs();
  const wall0 = performance.now();
  let t = performance.now();
  const seed = await seedDatabase(seedDb);
  const seedFile = join(dir, "seed.json");
  writeFileSync(seedFile, JSON.stringify(seed));
  process.stdout.write(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const s: RunSettings = { dir, repoRoot, seed, seedFile, warmupMs, durationMs, connections: 16, streams: 10 };

  const probe = join(repoRoot, "bench", "alloc-probe.ts");
  const targets = new Map<TargetId, Target>();
  for (const id of [...new Set(CASES.flatMap((k) => k.targets))]) {
    const db = join(dir, `${id}.db`);
    if (TARGETS[id].usesDb) copyFileSync(seedDb, db);
    const args = ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "--import", probe, ...TARGETS[id].args(db, join(dir, `${id}-token`))];
    const server = await startServer(id, args, join(dir, `probe-${id}.json`), repoRoot);
    servers.push(server);
    targets.set(id, { server, cursors: { members: 0, identities: 0 } });
  }

  const label = (k: (typeof CASES)[number], id: TargetId) => `${SCENARIOS[k.scenario].label}, ${PROTOCOLS[k.protocol].label}, ${k.generator}, ${TARGETS[id].label}`;
  const runs = new Map<string, RunResult[]>();
  const total = CASES.reduce((a, k) => a + k.targets.length, 0) * reps;
  let done = 0;
  t = performance.now();
  for (const k of CASES) {
    for (let rep = 0; rep < reps; rep++) {
      for (const id of k.targets) {
        const r = await runOnce(k, targets.get(id)!, s).catch((e: Error) => failedRun(e.message.split("\n")[0]!));
        runs.set(runKey(k, id), [...(runs.get(runKey(k, id)) ?? []), r]);
        const eta = ((performance.now() - t) / ++done) * (total - done);
        process.stdout.write(
          `[${done}/${total}, ${Math.round(eta / 1000)} s left] ${label(k, id)}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, ${r.cpuUsPerReq.toFixed(0)} µs CPU/req${r.error ? `, ${r.failed} failed: ${r.error}` : ""}\n`,
        );
      }
    }
  }
  await stopAll();

  process.stdout.write("start-up time\n");
  const startupMs = await measureStartup(repoRoot, seedDb, dir, 10);
  process.stdout.write("profile\n");
  const profile = await profileCheckAccess(s, seedDb).catch((e: Error) => (process.stdout.write(`profile failed: ${e.message}\n`), null));

  process.stdout.write("PostgreSQL\n");
  const log = (line: string) => process.stdout.write(line + "\n");
  const pgSettings = { repoRoot, users: opt.quick ? 1000 : 5000, warmupMs, durationMs, reps };
  const postgres = opt["no-postgres"] ? "" : await benchPostgres(pgSettings, log).catch((e: Error) => `## PostgreSQL\n\nFailed: ${e.message.split("\n")[0]}\n`);

  const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: repoRoot }).toString().trim();
  let commit = "unknown commit";
  try {
    const dirty = sh("git", ["status", "--porcelain", "--", "src", "bench", "gen", "package.json"]) !== "";
    commit = `commit ${sh("git", ["rev-parse", "--short", "HEAD"])}${dirty ? " with uncommitted changes" : ""}`;
  } catch {
    // not a git checkout
  }
  const report = renderReport({
    title: "Benchmarks",
    machine: [
      `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, \`npm run bench${opt.quick ? " -- --quick" : ""}\` on ${commit}`,
      `nproc ${sh("nproc", [])} (${cpus()[0]?.model ?? "unknown CPU"}), \`${sh("uname", ["-srm"])}\`, Node ${process.version}, ${sh("h2load", ["--version"])}`,
      `load average before/after: ${load0.map((x) => x.toFixed(2)).join(" ")} / ${loadavg().map((x) => x.toFixed(2)).join(" ")}; some task waited for a CPU ${((cpuPressureUs() - pressure0) / 10 / (performance.now() - wall0)).toFixed(0)} % of the time (/proc/pressure/cpu). The machine is shared: compare ratios and CPU per request, not absolute throughput.`,
    ],
    method: [
      `${reps} repetitions per case and server, servers in alternation (A B C A B C …); each run is ${warmupMs} ms of warm-up (load that is not counted: JIT, the first wave of requests) and ${durationMs} ms measured; ${pinning() ? "servers pinned to core 0, generators to core 1 (`taskset`)" : "not pinned"}.`,
      "HTTP/2: 16 connections × 10 concurrent streams; HTTP/1.1: 16 connections, one request at a time on each (no pipelining). Closed loop: a new request as soon as one completes.",
      `Seed (through the domain services, then one copy of the file per server): 1 organization, ${SHAPE.projects} projects, ${SHAPE.users.toLocaleString("en-US")} users, ${SHAPE.identities.toLocaleString("en-US")} identities; project 0 holds all ${SHAPE.users.toLocaleString("en-US")} users (so that a page of 50 comes from a 10k-member project; one membership per user and project), projects 1–19 one identity membership each for the 1,000 identities: ${(SHAPE.users + SHAPE.identities).toLocaleString("en-US")} memberships. The caller is a user with ORG_OWNER (not the instance administrator).`,
      "CheckAccess asks about another member of project 0; ListMemberships reads the first page of 50 of project 0; AddProjectMember adds a user not yet in the project (projects 1–19, every request a new pair); UpdateIdentityMembership flips an identity between viewer and member (never a no-op); the mix is 9 CheckAccess to 1 AddProjectMember. Writes go to a SQLite file on disk with synchronous=FULL, so they include an fsync.",
      "Fixed bodies go through h2load (`--log-file` gives per-request latencies for p50/p99); bodies that differ per request through bench/load-generator.ts (raw node:http2, bodies encoded before the clock starts). One request of every h2load case is checked for HTTP 200 and grpc-status 0 first; the Node generator checks every answer.",
      "CPU µs/req: the server's utime+stime from /proc/<pid>/stat over the run ÷ the requests it answered (counted in the server by bench/alloc-probe.ts, preloaded, from Node's diagnostics channels), warm-up included on both sides. KiB alloc/req: V8 heap bytes allocated over the run (the same probe sums what each GC found in use) ÷ the same count; Buffers' memory outside the heap is not counted. RSS peak: VmRSS sampled every 50 ms during the runs (the servers live through all cases, so it also reflects earlier ones). Generator CPU %: of one core, over the run.",
    ],
    cases: CASES,
    runs,
    startupMs,
    profile,
    notes: pinning() ? [] : ["Server and generators were not pinned to separate cores (no taskset, or one core): generator CPU competes with the server."],
  });
  const full = postgres ? `${report.trimEnd()}\n\n${postgres}` : report;
  process.stdout.write("\n" + full + "\n");
  writeFileSync(out, full);
  process.stdout.write(`written to ${out}\n`);
} finally {
  await stopAll();
}
