// Turns the runs into BENCHMARKS.md: medians over the repetitions, the
// spread of req/s, and each row's throughput relative to the grpc-js
// reference of the same scenario.
import { caseKey, TARGETS, type Case, type TargetId } from "./cases.ts";
import type { SelfTime } from "./cpu-profile.ts";
import type { RunResult } from "./measure.ts";
import { PROTOCOLS, SCENARIOS } from "./requests.ts";
import { median } from "./stats.ts";

export interface Report {
  title: string;
  machine: string[];
  method: string[];
  cases: Case[];
  runs: Map<string, RunResult[]>;
  startupMs: number[];
  profile: { rows: SelfTime[]; idlePct: number; totalMs: number; rps: number } | null;
  notes: string[];
}

/** What the figures do not show, and where the server's design made measuring hard. */
const NOTES = [
  "The two cores are shared with other work on this machine; pinning keeps the generators off the server's core but not other processes. Throughput swings between repetitions; CPU per request and the ratios to the reference are the steadier figures.",
  "h2load counts any HTTP 200 as a success, and a gRPC error is an HTTP 200 with grpc-status in the trailers (or, in gRPC-web, in the body), so a broken token or body would be benchmarked as fast errors. Every h2load case is therefore checked once with a client that reads grpc-status; the Node generator reads it on every answer.",
  "The server reports neither how many requests it answered nor what it allocated, and h2load's counts cover only its measured window. A probe preloaded into every server (`--import bench/alloc-probe.ts`) counts answered requests from Node's diagnostics channels and heap allocation from V8's GC statistics; the orchestrator reads it with SIGUSR2 and a file before and after each run.",
  "Writes commit with synchronous=FULL through better-sqlite3, which is synchronous: each COMMIT's fsync blocks the event loop. Group commit puts the writes that arrive together into one transaction (16 in flight: about 16 per commit), so the write rows are bound by the CPU of the write itself (authentication, authorization reads, the inserts, the audit row, the read-back), not by the disk; the server CPU % of those rows (about 90) shows the little that is left of the waiting.",
  "The reference restates the four handler bodies with the same domain calls and mappers (src/membership/membership-mappers.ts); two mappings it needs (CheckAccess's effective roles and the membership filter) live in membership-handlers.ts and are restated too. Since the route table, it could call the routes' handlers directly.",
  "The constant-handler bound (bench/constant-server.ts) is assembled by the same `serveRoutes` as the server, fast path included, with one public route that answers a constant.",
];

export const runKey = (k: Case, t: TargetId) => `${caseKey(k)} ${t}`;

const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "–");
const med = (rs: RunResult[], f: (r: RunResult) => number) => median(rs.map(f));

/** The grpc-js runs a row is compared with: its constant handler for bounds, else the reference on the same scenario. */
function baseRuns(r: Report, k: Case, t: TargetId): RunResult[] {
  const constant = t === "const" || t === "const-ref";
  const base = constant
    ? r.cases.find((c) => c.bound && c.generator === k.generator && c.targets.includes("const-ref"))
    : r.cases.find((c) => !c.bound && c.scenario === k.scenario && c.targets.includes("ref"));
  return base ? (r.runs.get(runKey(base, constant ? "const-ref" : "ref")) ?? []) : [];
}

function row(r: Report, k: Case, t: TargetId): string {
  const rs = r.runs.get(runKey(k, t)) ?? [];
  const base = baseRuns(r, k, t);
  const rps = med(rs, (x) => x.rps);
  const cpu = med(rs, (x) => x.cpuUsPerReq);
  const failed = rs.reduce((a, x) => a + x.failed, 0);
  const cells = [
    SCENARIOS[k.scenario].label,
    PROTOCOLS[k.protocol].label,
    k.generator,
    TARGETS[t].label,
    `${n(rps)} (${n(Math.min(...rs.map((x) => x.rps)))}–${n(Math.max(...rs.map((x) => x.rps)))})`,
    n(med(rs, (x) => x.p50Ms), 1),
    n(med(rs, (x) => x.p99Ms), 1),
    `${n(med(rs, (x) => x.serverCpuPct))} / ${n(med(rs, (x) => x.serverWaitPct))}`,
    n(cpu),
    n(med(rs, (x) => x.allocKiBPerReq), 1),
    n(Math.max(...rs.map((x) => x.peakRssMiB))),
    `${n(med(rs, (x) => x.generatorCpuPct))} / ${n(med(rs, (x) => x.generatorWaitPct))}`,
    n(rps / med(base, (x) => x.rps), 2),
    n(med(base, (x) => x.cpuUsPerReq) / cpu, 2),
  ];
  if (failed > 0) cells[4] += ` ⚠ ${failed} failed: ${rs.find((x) => x.error)?.error.replace(/\|/g, "/").slice(0, 120)}`;
  return `| ${cells.join(" | ")} |`;
}

const HEADER = [
  "| scenario | protocol | generator | server | req/s (min–max) | p50 ms | p99 ms | server CPU / wait % | CPU µs/req | KiB alloc/req | RSS peak MiB | generator CPU / wait % | vs grpc-js req/s | vs grpc-js CPU/req |",
  "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];

/** Each generator's ceiling (the fastest constant handler) beside the highest figure it measured on a real handler. */
function headroom(r: Report): string {
  const fastest = (generator: string, constant: boolean) => {
    let best = { rps: NaN, cpu: NaN, wait: NaN, who: "" };
    for (const k of r.cases.filter((c) => c.generator === generator)) {
      for (const t of k.targets.filter((t) => (t === "const" || t === "const-ref") === constant)) {
        const rs = r.runs.get(runKey(k, t)) ?? [];
        const rps = med(rs, (x) => x.rps);
        if (Number.isFinite(rps) && !(rps <= best.rps)) {
          best = { rps, cpu: med(rs, (x) => x.generatorCpuPct), wait: med(rs, (x) => x.generatorWaitPct), who: `${TARGETS[t].label}, ${PROTOCOLS[k.protocol].label}` };
        }
      }
    }
    return `${n(best.rps)} req/s (${best.who}; generator CPU ${n(best.cpu)} %, waiting for its core ${n(best.wait)} %)`;
  };
  return (["h2load", "node"] as const)
    .map((g) => `${g === "node" ? "The Node generator" : "h2load"} reached ${fastest(g, true)} against a constant handler; the highest it measured on a real one is ${fastest(g, false)}.`)
    .join(" ");
}

export function renderReport(r: Report): string {
  const table = (bound: boolean) => [...HEADER, ...r.cases.filter((k) => k.bound === bound).flatMap((k) => k.targets.map((t) => row(r, k, t)))];
  const s = [...r.startupMs].sort((a, b) => a - b);
  const lines = [
    `# ${r.title}`,
    "",
    ...r.machine.map((l) => `- ${l}`),
    "",
    ...r.method.map((l) => `- ${l}`),
    "",
    "## Results",
    "",
    "Medians over the repetitions; req/s also shows the slowest and fastest repetition. `vs grpc-js req/s` is the row's req/s divided by the grpc-js reference's on the same scenario (the reference speaks gRPC only, so for other protocols it compares the same work over another protocol); `vs grpc-js CPU/req` is the reference's CPU per request divided by the row's (above 1: cheaper than grpc-js). `CPU / wait %`: the process's CPU time and the time its main thread waited, runnable, for its core (/proc/<pid>/schedstat), both as % of the load's wall time. A server below 100 % CPU either waited on fsync or, when its wait is high, was held back by other processes on the machine; then CPU per request is the steadier figure.",
    "",
    ...table(false),
    "",
    "## Bounds and generator headroom",
    "",
    "The same transports with a constant CheckAccess (no auth, no domain, no database). `vs grpc-js` compares with grpc-js's constant handler under the same generator. The last row puts the Node generator on the real CheckAccess of the first table, to compare with h2load (its `vs grpc-js` is against the reference's h2load figure).",
    "",
    ...table(true),
    "",
    headroom(r),
    "",
    "## Start-up",
    "",
    `Spawn of \`node dist/membership-server.mjs\` (what \`npm start\` runs after bundling; Node's compile cache on) on a copy of the seeded database to the first answered \`GET /healthz\`, ${s.length} starts: median ${n(median(s))} ms (min ${n(s[0] ?? NaN)}, max ${n(s.at(-1) ?? NaN)}).`,
    "",
    "## Profile",
    "",
  ];
  if (r.profile) {
    const p = r.profile;
    lines.push(
      `\`--cpu-prof\` of our server (fast path on) under CheckAccess gRPC load from h2load (${n(p.rps)} req/s with the profiler on), samples of the load window only: ${n(p.totalMs)} ms, ${n(p.idlePct)} % idle. Self time as a share of the busy samples:`,
      "",
      "| # | function | where | self ms | % of busy |",
      "| ---: | --- | --- | ---: | ---: |",
      ...p.rows.map((x, i) => `| ${i + 1} | \`${x.name}\` | ${x.where ? `\`${x.where}\`` : ""} | ${n(x.selfMs)} | ${n(x.pct, 1)} |`),
    );
  } else {
    lines.push("Not run.");
  }
  lines.push("", "## Notes", "", ...[...NOTES, ...r.notes].map((l) => `- ${l}`), "");
  return lines.join("\n");
}
