// What the server observes of itself, assembled from its configuration: the
// access log and metrics of every call, the hooks the listener and the store
// report through, and where GET /metrics is answered.
import type { Socket } from "node:net";
import type { Logger } from "../logger.ts";
import { answerMetrics, listenForMetrics, type MetricsListener, type PageHandler } from "./metrics-http.ts";
import type { MetricsPlacement } from "./metrics-placement.ts";
import { createMetrics } from "./metrics.ts";
import { createRpcObserver, type RpcObserver } from "./rpc-observer.ts";

/** What the edge needs: the call observer, plain GET pages, a hook for each connection. */
export interface EdgeObservability {
  observer: RpcObserver;
  pages: ReadonlyMap<string, PageHandler>;
  onConnection?: (httpVersion: string, socket: Socket) => void;
}

export interface Observability {
  edge: EdgeObservability;
  /** For the store: each write transaction, its writes, duration and outcome. */
  onTransaction?: (writes: number, seconds: number, committed: boolean) => void;
  /** Binds the metrics' own port when they have one; null otherwise. */
  listen(): Promise<MetricsListener | null>;
}

export function createObservability(placement: MetricsPlacement, log: Logger): Observability {
  const metrics = placement === "off" ? null : createMetrics();
  const observer = createRpcObserver(log, metrics);
  if (metrics === null) return { edge: { observer, pages: new Map() }, listen: async () => null };
  const answer = answerMetrics(metrics, log);
  return {
    edge: { observer, pages: new Map(placement === "main" ? [["/metrics", answer]] : []), onConnection: metrics.connection },
    onTransaction: metrics.storeTransaction,
    listen: async () => (typeof placement === "object" ? listenForMetrics(placement.host, placement.port, metrics, log) : null),
  };
}
