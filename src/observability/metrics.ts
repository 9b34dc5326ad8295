// The server's Prometheus metrics through prom-client: calls by procedure,
// protocol and code, their latency, calls in flight and open watch streams,
// connections by HTTP version, and the store's transactions. Each server has
// its own registry (tests run many in one process); the process metrics
// (CPU, memory, event loop, GC) belong to the process and are collected once.
import type { Socket } from "node:net";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { StatusName } from "./status-codes.ts";

/** The series of one procedure over one protocol, looked up once per call. */
export interface RpcSeries {
  started(): void;
  ended(code: StatusName, seconds: number): void;
}

export interface Metrics {
  rpc(procedure: string, protocol: string, streaming: boolean): RpcSeries;
  /** Counts a connection and watches it until it closes. */
  connection(httpVersion: string, socket: Socket): void;
  /** One store transaction: the writes it carried, how long it held the database, whether it committed. */
  storeTransaction(writes: number, seconds: number, committed: boolean): void;
  /** The text exposition of every metric, process metrics included. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Sub-millisecond buckets too: most calls here answer in well under one. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const calls = new Counter({ name: "membership_rpc_calls_total", help: "RPCs finished, by procedure, protocol and status code.", labelNames: ["procedure", "protocol", "code"], registers });
  const duration = new Histogram({
    name: "membership_rpc_duration_seconds",
    help: "Time from the request to the end of the answer (of the whole stream, for streams), by procedure, protocol and status code.",
    labelNames: ["procedure", "protocol", "code"],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const inFlight = new Gauge({ name: "membership_rpc_in_flight", help: "RPCs started and not yet finished, by procedure and protocol.", labelNames: ["procedure", "protocol"], registers });
  const streams = new Gauge({ name: "membership_watch_streams_open", help: "Server streams (WatchMemberships, Health.Watch) open now, by procedure.", labelNames: ["procedure"], registers });
  const connectionsOpen = new Gauge({ name: "membership_http_connections_open", help: "Client connections open now, by HTTP version.", labelNames: ["http_version"], registers });
  const connectionsTotal = new Counter({ name: "membership_http_connections_total", help: "Client connections accepted, by HTTP version.", labelNames: ["http_version"], registers });
  const txSeconds = new Histogram({
    name: "membership_store_transaction_seconds",
    help: "Time a write transaction held the database, BEGIN to COMMIT or ROLLBACK, by outcome.",
    labelNames: ["outcome"],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const batchWrites = new Histogram({
    name: "membership_store_batch_writes",
    help: "Writes carried by one group-commit transaction.",
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers,
  });

  // prom-client hashes the label values on every call; the series of a
  // procedure, protocol and code are looked up once and kept.
  const series = new Map<string, RpcSeries>();
  function createSeries(procedure: string, protocol: string, streaming: boolean): RpcSeries {
    const flying = inFlight.labels(procedure, protocol);
    const open = streaming ? streams.labels(procedure) : null;
    const byCode = new Map<StatusName, { calls: Counter.Internal; duration: Histogram.Internal<string> }>();
    return {
      started() {
        flying.inc();
        open?.inc();
      },
      ended(code, seconds) {
        flying.dec();
        open?.dec();
        let c = byCode.get(code);
        if (c === undefined) {
          c = { calls: calls.labels(procedure, protocol, code), duration: duration.labels(procedure, protocol, code) };
          byCode.set(code, c);
        }
        c.calls.inc();
        c.duration.observe(seconds);
      },
    };
  }

  return {
    rpc(procedure, protocol, streaming) {
      const key = `${protocol} ${procedure}`;
      let s = series.get(key);
      if (s === undefined) {
        s = createSeries(procedure, protocol, streaming);
        series.set(key, s);
      }
      return s;
    },
    connection(httpVersion, socket) {
      connectionsTotal.labels(httpVersion).inc();
      const open = connectionsOpen.labels(httpVersion);
      open.inc();
      socket.once("close", () => open.dec());
    },
    storeTransaction(writes, seconds, committed) {
      txSeconds.labels(committed ? "commit" : "rollback").observe(seconds);
      if (committed) batchWrites.observe(writes);
    },
    async scrape() {
      const [own, proc] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
      return { contentType: registry.contentType, body: own + proc };
    },
  };
}
