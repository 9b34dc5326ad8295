// What observing one call costs (src/observability/rpc-observer.ts), apart
// from everything else a call does: start, learn the caller, end, with the
// metrics on or off and the access line written (pino, to a sink that drops
// it) or filtered by the level. CPU nanoseconds per call, median of 7 rounds.
//   node --experimental-strip-types bench/observer-cost.ts [--calls N]
import { parseArgs } from "node:util";
import { createLogger } from "../src/logger.ts";
import { createMetrics } from "../src/observability/metrics.ts";
import { createRpcObserver, noObserver, type RpcObserver } from "../src/observability/rpc-observer.ts";

const { values } = parseArgs({ options: { calls: { type: "string", default: "200000" } } });
const calls = Number(values.calls);
const PROCEDURES = ["membership.v1.MembershipService/CheckAccess", "membership.v1.ProjectService/GetProject", "membership.v1.MembershipService/ListMemberships"];

function round(observer: RpcObserver): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const record = observer.start(PROCEDURES[i % 3]!, "grpc", "2", "6f1c2b0e-4a51-4f0e-9d0b-7f5e0c3a9b21", false);
    record.principalId = "1795960709309262465";
    record.orgId = "1795960709309262464";
    record.code = i % 10 === 0 ? 5 : 0;
    record.end();
  }
  const used = process.cpuUsage(t0);
  return ((used.user + used.system) * 1000) / calls;
}

const variants: [string, RpcObserver][] = [
  ["no observer", noObserver],
  ["metrics off, access log filtered (--log-level error)", createRpcObserver(createLogger("error"), null)],
  ["metrics on, access log filtered (the benchmark's servers)", createRpcObserver(createLogger("error"), createMetrics())],
  ["metrics on, access log written (the default)", createRpcObserver(createLogger("info", () => {}), createMetrics())],
];
const results = new Map<string, number[]>(variants.map(([name]) => [name, []]));
// Rounds alternate the variants, so drift on a shared machine hits all alike.
for (let r = 0; r < 7; r++) for (const [name, observer] of variants) results.get(name)!.push(round(observer));
for (const [name, ns] of results) {
  const median = [...ns].sort((a, b) => a - b)[3]!;
  process.stdout.write(`${median.toFixed(0).padStart(6)} ns/call  ${name}\n`);
}
