// Runs h2load (Debian's nghttp2-client) for one case with a fixed body, and
// reads its per-request log for p50/p99 (its summary has only min/max/mean).
// h2load sees HTTP statuses only, not grpc-status: the orchestrator checks one
// request of each case with checkOnce() before trusting the figures.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { pinned } from "./proc.ts";
import { percentile } from "./stats.ts";

export interface H2loadOptions {
  url: string;
  /** Load before the measured window: the first wave and JIT, not counted. */
  warmupMs: number;
  headers: Record<string, string>;
  bodyFile: string;
  http1: boolean;
  connections: number;
  streams: number;
  durationMs: number;
  logFile: string;
}

export interface LoadResult {
  /** Successful answers in the measured window. */
  ok: number;
  /** Failed requests, warm-up included. */
  failed: number;
  /** How long the load ran, warm-up included (without process start-up). */
  loadMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  detail: string;
}

export function runH2load(o: H2loadOptions): { pid: number; done: Promise<LoadResult> } {
  const args = [
    "-D", `${o.durationMs}ms`, "--warm-up-time", `${o.warmupMs}ms`, "-t", "1", "-c", String(o.connections), "-m", String(o.streams),
    "-d", o.bodyFile, "--log-file", o.logFile,
    ...Object.entries(o.headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]),
    ...(o.http1 ? ["--h1"] : []),
    o.url,
  ];
  rmSync(o.logFile, { force: true }); // h2load appends to it
  const [cmd, argv] = pinned(1, "h2load", args);
  const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  const done = new Promise<LoadResult>((resolve, reject) => {
    // "close", not "exit": only then has all of stdout been read.
    child.once("close", (code) => {
      // "finished in" spans warm-up and window; its req/s counts the window only, as do "requests:" and the log.
      const finished = /finished in ([\d.]+)(m?s), ([\d.]+) req\/s/.exec(out);
      const requests = /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(out);
      if (code !== 0 || !finished || !requests) return reject(new Error(`h2load failed (${code}):\n${out}`));
      const latencies = readFileSync(o.logFile, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split("\t"))
        .filter((f) => f[1]!.startsWith("2"))
        .map((f) => Number(f[2]) / 1000);
      const sorted = Float64Array.from(latencies).sort();
      resolve({
        ok: Number(requests[1]),
        failed: Number(requests[2]) + Number(requests[3]),
        loadMs: Number(finished[1]) * (finished[2] === "ms" ? 1 : 1000),
        rps: Number(finished[3]),
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        detail: out.split("\n").filter((l) => /^(finished|requests|status codes|time for request):?/.test(l.trim())).join("; "),
      });
    });
  });
  return { pid: child.pid!, done };
}
