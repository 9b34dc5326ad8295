// The per-call metrics: kept in plain numbers while calls run and handed to
// prom-client only when scraped. prom-client's own metrics validate and hash
// their label values on every observation, some microseconds per call
// (bench/observer-cost.ts); here a call finds its series once and only adds.
import type { Metric, Registry } from "prom-client";
import { statusName } from "./status-codes.ts";

/** Sub-millisecond buckets too: most calls here answer in well under one. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The series of one procedure over one protocol. */
export interface RpcSeries {
  started(): void;
  /** `code` is the gRPC status number. */
  ended(code: number, seconds: number): void;
}

class ByCode {
  count = 0;
  sum = 0;
  /** Per bucket, not cumulative: the observations at most its bound and above the one before. */
  readonly buckets = new Float64Array(LATENCY_BUCKETS.length);
}

class Series implements RpcSeries {
  inFlight = 0;
  readonly codes: (ByCode | undefined)[] = [];
  readonly procedure: string;
  readonly protocol: string;
  readonly streaming: boolean;

  constructor(procedure: string, protocol: string, streaming: boolean) {
    this.procedure = procedure;
    this.protocol = protocol;
    this.streaming = streaming;
  }

  started(): void {
    this.inFlight++;
  }

  ended(code: number, seconds: number): void {
    this.inFlight--;
    const c = (this.codes[code] ??= new ByCode());
    c.count++;
    c.sum += seconds;
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    if (i < LATENCY_BUCKETS.length) c.buckets[i]!++;
  }
}

type Value = { labels: Record<string, string | number>; value: number; metricName?: string };

/**
 * Registers the call metrics with `registry` as metrics of its own kind:
 * prom-client formats any metric that answers get() with its values (its
 * type declarations only list its own classes, hence the cast).
 */
export function registerRpcMetrics(registry: Registry): (procedure: string, protocol: string, streaming: boolean) => RpcSeries {
  // By protocol, then procedure: both strings are the callers' constants,
  // whose hashes V8 keeps, where a joined key would be hashed on every call.
  const byProtocol = new Map<string, Map<string, Series>>();
  const series = function* () {
    for (const m of byProtocol.values()) yield* m.values();
  };
  const each = function* () {
    for (const s of series()) {
      for (let code = 0; code < s.codes.length; code++) {
        const c = s.codes[code];
        if (c) yield { s, c, labels: { procedure: s.procedure, protocol: s.protocol, code: statusName(code) } };
      }
    }
  };
  const metric = (name: string, help: string, type: "counter" | "gauge" | "histogram", values: () => Value[]) =>
    registry.registerMetric({ name, help, type, aggregator: "sum", get: async () => ({ name, help, type, aggregator: "sum", values: values() }), reset() {} } as unknown as Metric);

  metric("membership_rpc_calls_total", "RPCs finished, by procedure, protocol and status code.", "counter", () =>
    [...each()].map(({ c, labels }) => ({ labels, value: c.count })),
  );
  metric(
    "membership_rpc_duration_seconds",
    "Time from the request to the end of the answer (of the whole stream, for streams), by procedure, protocol and status code.",
    "histogram",
    () =>
      [...each()].flatMap(({ c, labels }) => {
        let below = 0;
        const bucket = (le: number | string, value: number) => ({ labels: { ...labels, le }, value, metricName: "membership_rpc_duration_seconds_bucket" });
        return [
          ...LATENCY_BUCKETS.map((le, i) => bucket(le, (below += c.buckets[i]!))),
          bucket("+Inf", c.count),
          { labels, value: c.sum, metricName: "membership_rpc_duration_seconds_sum" },
          { labels, value: c.count, metricName: "membership_rpc_duration_seconds_count" },
        ];
      }),
  );
  metric("membership_rpc_in_flight", "RPCs started and not yet finished, by procedure and protocol.", "gauge", () =>
    [...series()].map((s) => ({ labels: { procedure: s.procedure, protocol: s.protocol }, value: s.inFlight })),
  );
  metric("membership_watch_streams_open", "Server streams (WatchMemberships, Health.Watch) open now, by procedure.", "gauge", () => {
    const open = new Map<string, number>();
    for (const s of series()) if (s.streaming) open.set(s.procedure, (open.get(s.procedure) ?? 0) + s.inFlight);
    return [...open].map(([procedure, value]) => ({ labels: { procedure }, value }));
  });

  return (procedure, protocol, streaming) => {
    let m = byProtocol.get(protocol);
    if (m === undefined) byProtocol.set(protocol, (m = new Map()));
    let s = m.get(procedure);
    if (s === undefined) m.set(procedure, (s = new Series(procedure, protocol, streaming)));
    return s;
  };
}
