// One run of one case against one server. Throughput and latency come from
// the generator's measured window; CPU, allocation and the number of answers
// from the server itself, read before and after the run (warm-up included on
// both sides of the division); RSS and the generator's CPU are sampled.
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Case } from "./cases.ts";
import { checkOnce } from "./check-once.ts";
import { runH2load, type LoadResult } from "./h2load.ts";
import type { GeneratorConfig, GeneratorResult } from "./load-generator.ts";
import { cpuMsOf, pinned, readProbe, schedOf, startSampler, type Server } from "./proc.ts";
import { PROTOCOLS, SCENARIOS, buildRequest, type ScenarioId } from "./requests.ts";
import type { SeedInfo } from "./seed.ts";

export interface RunSettings {
  dir: string;
  repoRoot: string;
  seed: SeedInfo;
  seedFile: string;
  warmupMs: number;
  durationMs: number;
  connections: number;
  streams: number;
}

export interface RunResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerReq: number;
  /** The server's CPU time over the load's wall time: well below 100 % means it waited (fsync) or was starved by neighbours. */
  serverCpuPct: number;
  /** How long the server's main thread waited, runnable, for its core: other processes on it. */
  serverWaitPct: number;
  allocKiBPerReq: number;
  peakRssMiB: number;
  generatorCpuPct: number;
  generatorWaitPct: number;
  ok: number;
  failed: number;
  error: string;
}

/** A run that could not be made: every figure NaN, the reason kept. */
export const failedRun = (error: string): RunResult => ({
  rps: NaN, p50Ms: NaN, p99Ms: NaN, cpuUsPerReq: NaN, serverCpuPct: NaN, serverWaitPct: NaN, allocKiBPerReq: NaN,
  peakRssMiB: NaN, generatorCpuPct: NaN, generatorWaitPct: NaN, ok: 0, failed: 1, error,
});

/** A server and how many writes of each kind it has taken, so every run writes something new. */
export interface Target {
  server: Server;
  cursors: Record<"members" | "identities", number>;
}

type Load = { pid: number; done: Promise<LoadResult & { started?: number; cpuPct?: number; waitPct?: number }> };

const cursorOf = (s: ScenarioId) => (s === "update-identity-membership" ? "identities" : "members");

function nodeGenerator(k: Case, t: Target, s: RunSettings): Load {
  const config: GeneratorConfig = {
    url: t.server.url,
    scenario: k.scenario,
    protocol: k.protocol,
    seedFile: s.seedFile,
    cursor: t.cursors[cursorOf(k.scenario)],
    connections: s.connections,
    streams: s.streams,
    warmupMs: s.warmupMs,
    durationMs: s.durationMs,
  };
  const [cmd, argv] = pinned(1, process.execPath, ["--disable-warning=ExperimentalWarning", "bench/load-generator.ts", JSON.stringify(config)]);
  const child = spawn(cmd, argv, { cwd: s.repoRoot, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  const done = new Promise<LoadResult & { started: number; cpuPct: number; waitPct: number }>((resolve, reject) =>
    child.once("close", (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      // JSON turns NaN (no latencies in the window) into null.
      const r = JSON.parse(out, (_, v: unknown) => (v === null ? NaN : v)) as GeneratorResult;
      const failed = Object.values(r.errors).reduce((a, b) => a + b, 0);
      resolve({ ...r, failed, detail: r.firstError });
    }),
  );
  return { pid: child.pid!, done };
}

const checked = new Set<string>();

/** The fixed body of an h2load case, written once; checked once against each server before it is trusted. */
async function h2load(k: Case, t: Target, s: RunSettings): Promise<Load> {
  const p = PROTOCOLS[k.protocol];
  const req = buildRequest(s.seed, k.scenario, p, 0, 0);
  const bodyFile = join(s.dir, `body-${k.scenario}-${k.protocol}.bin`);
  if (!existsSync(bodyFile)) writeFileSync(bodyFile, req.body);
  const headers = { ...p.headers, authorization: `Bearer ${s.seed.token}` };
  const checkKey = `${t.server.name} ${bodyFile}`;
  if (!checked.has(checkKey)) {
    const problem = await checkOnce(t.server.url, p, req, headers);
    if (problem) throw new Error(`${t.server.name}, ${k.scenario} over ${p.label}: ${problem}`);
    checked.add(checkKey);
  }
  return runH2load({
    url: t.server.url + req.path,
    headers,
    bodyFile,
    http1: p.http1,
    connections: s.connections,
    // HTTP/1.1 has one request per connection at a time (no pipelining).
    streams: p.http1 ? 1 : s.streams,
    warmupMs: s.warmupMs,
    durationMs: s.durationMs,
    logFile: join(s.dir, "h2load.log"),
  });
}

export async function runOnce(k: Case, t: Target, s: RunSettings): Promise<RunResult> {
  const pid = t.server.pid;
  const before = await readProbe(t.server);
  const cpu0 = cpuMsOf(pid);
  const wait0 = schedOf(pid).waitMs;
  const load = k.generator === "node" ? nodeGenerator(k, t, s) : await h2load(k, t, s);
  const sampler = startSampler(pid, load.pid);
  const [settled] = await Promise.allSettled([load.done]);
  const sampled = sampler.stop();
  if (settled.status === "rejected") throw settled.reason;
  const r = settled.value;
  const cpuMs = cpuMsOf(pid) - cpu0;
  const waitMs = schedOf(pid).waitMs - wait0;
  const after = await readProbe(t.server);
  const served = after.served - before.served;
  if (r.started !== undefined) t.cursors[cursorOf(k.scenario)] += SCENARIOS[k.scenario].writesBefore(r.started);
  return {
    rps: r.rps,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    cpuUsPerReq: (cpuMs * 1000) / served,
    serverCpuPct: (cpuMs / r.loadMs) * 100,
    serverWaitPct: (waitMs / r.loadMs) * 100,
    allocKiBPerReq: (after.allocatedBytes - before.allocatedBytes) / 1024 / served,
    peakRssMiB: sampled.peakRssKiB / 1024,
    generatorCpuPct: r.cpuPct ?? sampled.generatorCpuPct,
    generatorWaitPct: r.waitPct ?? sampled.generatorWaitPct,
    ok: r.ok,
    failed: r.failed,
    error: r.failed > 0 ? r.detail : "",
  };
}
