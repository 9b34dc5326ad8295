// One record per RPC, whichever path serves it (the unary fast path or
// Connect's handlers): it starts when the request arrives, learns who called
// once the token is resolved, learns the status the client was sent, and
// ends when the answer (the whole stream, for streams) is written. Its end
// writes the access line and counts the call in the metrics.
import type { Logger } from "../logger.ts";
import type { Metrics } from "./metrics.ts";
import type { RpcSeries } from "./rpc-metrics.ts";
import { statusName } from "./status-codes.ts";

export type RpcProtocol = "grpc" | "grpc-web" | "connect";

export interface CallRecord {
  /** Who called and in which organization, once the token is resolved; null for public RPCs and failed authentication. */
  principalId: string | null;
  orgId: string | null;
  /** The gRPC status code the client was sent; unset when it went away before one. */
  code: number | undefined;
  /** Ends the record, once; later calls do nothing. */
  end(): void;
}

export interface RpcObserver {
  /**
   * `procedure` as "membership.v1.ProjectService/GetProject"; `httpVersion`
   * as "1.1" or "2"; `watch` for a server stream that follows changes.
   */
  start(procedure: string, protocol: RpcProtocol, httpVersion: string, requestId: string, watch: boolean): CallRecord;
}

/** Canceled: no status reached the client, which went away first. */
const GONE = 1;

class Call implements CallRecord {
  principalId: string | null = null;
  orgId: string | null = null;
  code: number | undefined = undefined;
  private readonly startedAt = performance.now();
  private ended = false;
  private readonly log: Logger | null;
  private readonly series: RpcSeries | null;
  private readonly procedure: string;
  private readonly protocol: RpcProtocol;
  private readonly httpVersion: string;
  private readonly requestId: string;

  constructor(log: Logger | null, series: RpcSeries | null, procedure: string, protocol: RpcProtocol, httpVersion: string, requestId: string) {
    this.log = log;
    this.series = series;
    this.procedure = procedure;
    this.protocol = protocol;
    this.httpVersion = httpVersion;
    this.requestId = requestId;
    series?.started();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const ms = performance.now() - this.startedAt;
    const code = this.code ?? GONE;
    this.series?.ended(code, ms / 1000);
    // Never a token, a header or a body: only what identifies the call and its outcome.
    this.log?.info("rpc", {
      requestId: this.requestId,
      procedure: this.procedure,
      protocol: this.protocol,
      httpVersion: this.httpVersion,
      code: statusName(code),
      durationMs: Math.round(ms * 1000) / 1000,
      principalId: this.principalId,
      orgId: this.orgId,
    });
  }
}

/**
 * Access lines go to `log` at info; `metrics` may be null (disabled). With
 * neither, a record costs one small object per call.
 */
export function createRpcObserver(log: Logger, metrics: Metrics | null): RpcObserver {
  return {
    start(procedure, protocol, httpVersion, requestId, watch) {
      const series = metrics?.rpc(procedure, protocol, watch) ?? null;
      return new Call(log.enabled("info") ? log : null, series, procedure, protocol, httpVersion, requestId);
    },
  };
}

/** For assemblies that observe nothing (benchmark bounds, transport tests). */
export const noObserver: RpcObserver = {
  start: () => new Call(null, null, "", "grpc", "", ""),
};
