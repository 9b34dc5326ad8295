// The server's Prometheus metrics through prom-client: calls by procedure,
// protocol and code, their latency, calls in flight and open watch streams
// (rpc-metrics.ts), connections by HTTP version, and the store's
// transactions. Each server has its own registry (tests run many in one
// process); the process metrics (CPU, memory, event loop, GC) belong to the
// process and are collected once.
import type { Socket } from "node:net";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { LATENCY_BUCKETS, registerRpcMetrics, type RpcSeries } from "./rpc-metrics.ts";

export interface Metrics {
  /** The series of a procedure over a protocol; `watch` for a server stream. */
  rpc(procedure: string, protocol: string, watch: boolean): RpcSeries;
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

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const rpc = registerRpcMetrics(registry);
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

  return {
    rpc,
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
