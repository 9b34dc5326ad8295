// Serves a route table on one port: Connect's handlers for every protocol,
// the unary fast path in front of them, the edge (request ids, CORS,
// /healthz, grpc-web-text, the console's files), server reflection, and the listener. The server (src/app.ts) and
// the benchmark's constant-handler bound (bench/constant-server.ts) are
// assembled by the same function, so the bound measures the real transport.
import { createConnectRouter, createContextValues } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import type { ServerResponse } from "node:http";
import type { Logger } from "../logger.ts";
import { decodeFaults, registerRoutes } from "../rpc/connect-routes.ts";
import { callRecordKey, remoteAddressKey, requestIdKey } from "../rpc/context-keys.ts";
import type { EdgeObservability } from "../observability/observability.ts";
import { createEdgeHandler } from "./edge-handler.ts";
import type { HealthState } from "./health-service.ts";
import type { ConnectionLimits } from "./listener-limits.ts";
import { startListener, type Listener } from "./listener.ts";
import type { RouteCallDeps } from "../rpc/route-call.ts";
import type { Route } from "../rpc/route.ts";
import { createFastPath } from "./fast-path.ts";
import { registerReflection } from "./reflection/reflection-service.ts";
import { createRestHandler } from "./rest/rest-handler.ts";
import { createHttpApiHandler } from "./http-api/http-api-handler.ts";
import type { HttpApi } from "../rpc/http-route.ts";
import { jsonRequestText } from "./json-text.ts";
import { createConsoleFiles, findConsoleDir } from "./console-files.ts";

export interface ServeOptions extends ConnectionLimits {
  host: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer };
  routes: readonly Route[];
  /** Other APIs over plain HTTP at paths of their own (rpc/http-route.ts); none when left out. */
  httpApis?: readonly HttpApi[];
  callDeps: RouteCallDeps;
  health: HealthState;
  corsOrigins: string[];
  readMaxBytes: number;
  fastPath: boolean;
  /** Access log, metrics, GET /metrics; none when left out. */
  observability?: EdgeObservability;
  /** Aborted on close(): Connect's handlers see it, so streams end instead of holding the grace period. */
  shutdown: AbortSignal;
  log: Logger;
  /** The built web console (console-files.ts); found beside the server when left out. */
  consoleDir?: string;
}

export function serveRoutes(o: ServeOptions): Promise<Listener> {
  const codec = {
    readMaxBytes: o.readMaxBytes,
    // What connectNodeAdapter would accept by default; small messages gain nothing from compression and cost CPU.
    acceptCompression: [compressionGzip, compressionBrotli],
    compressMinBytes: 1024,
    // JSON answers show what they mean: a denied CheckAccess says "allowed": false rather than leaving it out.
    // Request text with a lone surrogate is refused before it is parsed (json-text.ts).
    jsonOptions: { alwaysEmitImplicit: true, textDecoder: jsonRequestText },
  };
  const router = createConnectRouter({ ...codec, shutdownSignal: o.shutdown, interceptors: [decodeFaults] });
  registerRoutes(router, o.routes, o.callDeps);
  registerReflection(router, o.routes.map((r) => r.method.parent), [...new Set(o.routes.flatMap((r) => r.dialect.detailTypes ?? []))]);
  const rest = createRestHandler({ routes: o.routes, deps: o.callDeps, readMaxBytes: o.readMaxBytes, jsonOptions: codec.jsonOptions });
  const httpApis = createHttpApiHandler({ apis: o.httpApis ?? [], deps: o.callDeps, readMaxBytes: o.readMaxBytes });
  const edge = createEdgeHandler({
    handlers: router.handlers,
    cors: { allowedOrigins: o.corsOrigins },
    health: o.health,
    contextValues: (requestId, remoteAddress, record) =>
      createContextValues().set(requestIdKey, requestId).set(remoteAddressKey, remoteAddress).set(callRecordKey, record),
    log: o.log,
    observer: o.observability?.observer,
    pages: o.observability?.pages,
    rest: (req, res, path, requestId) => httpApis(req, res, path, requestId) || rest(req, res, path, requestId),
    console: createConsoleFiles(o.consoleDir ?? findConsoleDir()),
  });
  const fast = o.fastPath ? createFastPath({ ...codec, routes: o.routes, deps: o.callDeps, writeMaxBytes: 0xffffffff, observer: o.observability?.observer }) : null;
  const { host, port, tls, headersTimeoutMs, bodyTimeoutMs, requestTimeoutMs, idleTimeoutMs, log } = o;
  return startListener({
    host,
    port,
    tls,
    headersTimeoutMs,
    bodyTimeoutMs,
    requestTimeoutMs,
    idleTimeoutMs,
    log,
    handler: fast
      ? (req, res) => {
          if ("stream" in req || !fast.serveHttp1(req, res as ServerResponse)) edge(req, res);
        }
      : edge,
    claimHttp2Stream: fast ? (stream, headers) => fast.serveHttp2(stream, headers) : undefined,
    onConnection: o.observability?.onConnection,
  });
}
