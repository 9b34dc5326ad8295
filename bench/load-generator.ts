// A closed-loop HTTP/2 load generator for bodies that differ per request,
// which h2load cannot send. Its own process (pinned by the orchestrator):
//   node bench/load-generator.ts '<json GeneratorConfig>'
// Every body is encoded before the clock starts; then `connections` sessions
// each keep `streams` requests in flight for `warmupMs` (not counted: the
// first wave and JIT) and then `durationMs`. Prints one JSON GeneratorResult line. A request counts as ok only with HTTP 200
// and, for gRPC, grpc-status 0, so failed writes cannot pass as throughput.
import * as http2 from "node:http2";
import { readFileSync } from "node:fs";
import { PROTOCOLS, SCENARIOS, buildRequest, type ProtocolId, type ScenarioId, type WireRequest } from "./requests.ts";
import type { SeedInfo } from "./seed.ts";
import { schedOf } from "./proc.ts";
import { percentile } from "./stats.ts";

export interface GeneratorConfig {
  url: string;
  scenario: ScenarioId;
  protocol: ProtocolId;
  seedFile: string;
  /** Writes the server has taken so far: where this run's distinct writes start. */
  cursor: number;
  connections: number;
  streams: number;
  warmupMs: number;
  durationMs: number;
}

export interface GeneratorResult {
  /** Requests sent, ok or not: the write cursor advances by the writes among them. */
  started: number;
  ok: number;
  errors: Record<string, number>;
  firstError: string;
  /** Warm-up included: how long the load ran. */
  loadMs: number;
  /** Successful answers that completed inside the measured window, per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** This process's CPU while the load ran, in % of one core. */
  cpuPct: number;
  /** How long its main thread waited for a core while the load ran, in % (other processes on the core). */
  waitPct: number;
}

const MAX_BODIES = 300_000;
const WINDOW = 1 << 24; // large flow-control windows, as h2load uses, so big responses never wait on WINDOW_UPDATE

const config = JSON.parse(process.argv[2] ?? "{}") as GeneratorConfig;
const seed = JSON.parse(readFileSync(config.seedFile, "utf8")) as SeedInfo;
const protocol = PROTOCOLS[config.protocol];
const scenario = SCENARIOS[config.scenario];
const count = scenario.varying ? Math.min(MAX_BODIES, Math.ceil((config.warmupMs + config.durationMs) * 25)) : 1;
const requests: WireRequest[] = Array.from({ length: count }, (_, i) => buildRequest(seed, config.scenario, protocol, i, config.cursor));
const grpc = protocol.headers["content-type"]!.startsWith("application/grpc");
const headers = { ":method": "POST", ...protocol.headers, authorization: `Bearer ${seed.token}` };

const latencies: number[] = [];
const errors: Record<string, number> = {};
let firstError = "";
let next = 0;

function fail(key: string, detail: string) {
  errors[key] = (errors[key] ?? 0) + 1;
  if (firstError === "") firstError = `${key}: ${detail}`.slice(0, 300);
}

/** Resolves true for a successful answer; failures are counted by kind. */
function send(session: http2.ClientHttp2Session, r: WireRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const stream = session.request({ ...headers, ":path": r.path });
    let status = 0;
    let grpcStatus: string | undefined;
    let grpcMessage = "";
    let errorBody = "";
    let streamError = "";
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      grpcStatus = h["grpc-status"] as string | undefined;
      grpcMessage = (h["grpc-message"] as string | undefined) ?? "";
    });
    stream.on("trailers", (t) => {
      grpcStatus = (t["grpc-status"] as string | undefined) ?? grpcStatus;
      grpcMessage = (t["grpc-message"] as string | undefined) ?? grpcMessage;
    });
    stream.on("data", (chunk: Buffer) => {
      if (status !== 200 && errorBody.length < 300) errorBody += chunk.toString("utf8");
    });
    stream.on("error", (err: NodeJS.ErrnoException) => (streamError = err.code ?? err.message));
    stream.on("close", () => {
      const problem: [string, string] | null =
        streamError !== "" ? [`stream ${streamError}`, ""]
        : status !== 200 ? [`http ${status}`, errorBody]
        : grpc && grpcStatus !== "0" ? [`grpc-status ${grpcStatus}`, decodeURIComponent(grpcMessage)]
        : null;
      if (problem) fail(...problem);
      resolve(problem === null);
    });
    stream.end(r.body);
  });
}

async function connect(): Promise<http2.ClientHttp2Session> {
  const session = http2.connect(config.url, { settings: { initialWindowSize: WINDOW } });
  await new Promise<void>((resolve, reject) => {
    session.once("connect", () => resolve());
    session.once("error", reject);
  });
  session.setLocalWindowSize(WINDOW);
  session.on("error", (err: Error) => fail("session", err.message));
  return session;
}

const sessions = await Promise.all(Array.from({ length: config.connections }, connect));
const cpu0 = process.cpuUsage();
const sched0 = schedOf("self");
const t0 = performance.now();
const measureFrom = t0 + config.warmupMs;
const deadline = measureFrom + config.durationMs;
let measured = 0;
await Promise.all(
  sessions.flatMap((session) =>
    Array.from({ length: config.streams }, async () => {
      while (performance.now() < deadline) {
        const r = requests[next++ % count]!;
        const start = performance.now();
        const ok = await send(session, r);
        // Throughput is what completes inside the window, whenever it started: a slow
        // server with 160 requests in flight may finish none that started inside it.
        const end = performance.now();
        if (end < measureFrom || end > deadline) continue;
        latencies.push(end - start);
        if (ok) measured++;
      }
    }),
  ),
);
const loadMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const waitMs = schedOf("self").waitMs - sched0.waitMs;
for (const s of sessions) s.close();

const sorted = Float64Array.from(latencies).sort();
const result: GeneratorResult = {
  started: next,
  ok: measured,
  errors,
  firstError,
  loadMs,
  rps: (measured / config.durationMs) * 1000,
  p50Ms: percentile(sorted, 0.5),
  p99Ms: percentile(sorted, 0.99),
  cpuPct: ((cpu.user + cpu.system) / 1000 / loadMs) * 100,
  waitPct: (waitMs / loadMs) * 100,
};
process.stdout.write(JSON.stringify(result) + "\n");
