// The unary fast path: gRPC (proto and JSON) over HTTP/2, and gRPC-web and
// Connect unary (proto and JSON) over HTTP/2 and HTTP/1.1, served on the raw
// request. It decodes with the generated descriptors, runs the same call
// pipeline as Connect's handlers (src/rpc/route-call.ts) and writes
// headers, body and trailers itself, without Connect's generic streaming
// machinery. Anything else returns false and goes to Connect: streams,
// grpc-web-text, compressed request bodies, GET, and browser calls (which
// carry Origin and so need the edge's CORS handling).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { contentTypeUnaryRegExp, parseTimeout as parseConnectTimeout } from "@connectrpc/connect/protocol-connect";
import { contentTypeRegExp as grpcTypeRegExp, parseTimeout as parseGrpcTimeout } from "@connectrpc/connect/protocol-grpc";
import { contentTypeRegExp as grpcWebTypeRegExp } from "@connectrpc/connect/protocol-grpc-web";
import { describeError } from "../logger.ts";
import { requestDecodeFault } from "../rpc/error-mapper.ts";
import type { CallContext } from "../kernel/deps.ts";
import { admitCall, callUnary, type CallInput, type RouteCallDeps } from "../rpc/route-call.ts";
import { routePath, type Route } from "../rpc/route.ts";
import { readBody } from "./fast-body.ts";
import { createRouteCodec, type CodecOptions, type RouteCodec } from "./fast-codec.ts";
import { readEnvelopedBody } from "./fast-grpc-body.ts";
import { MAX_TIMER_MS } from "./deadline.ts";
import { http1Sink, http2Sink, writeConnect, writeGrpc, writeGrpcWeb, type Result } from "./fast-write.ts";
import { pickRequestId } from "./request-id.ts";
import { noObserver, type RpcObserver } from "../observability/rpc-observer.ts";

export interface FastPathOptions extends CodecOptions {
  routes: readonly Route[];
  deps: RouteCallDeps;
  /** The largest deadline a client may ask for; Connect's default is unlimited. */
  maxTimeoutMs?: number;
  /** Told of every call it serves: access log and metrics. */
  observer?: RpcObserver;
}

export interface FastPath {
  /** Serves an eligible HTTP/2 stream and returns true; returns false and leaves the stream untouched otherwise. */
  serveHttp2(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): boolean;
  /** The same for an HTTP/1.1 request: gRPC-web and Connect unary. */
  serveHttp1(req: IncomingMessage, res: ServerResponse): boolean;
}

export type Wire = "grpc" | "grpc-web" | "connect";

/** How one call meets its connection. */
interface CallIO {
  /** The request message bytes, once the body is in. */
  readInput(): Promise<Uint8Array>;
  /** Registers what to do when the client resets or disconnects. */
  onClientGone(listener: () => void): void;
  /** Drops the connection's side of the call when an answer cannot be written. */
  abandon(): void;
  /** Writes the answer; `early` when it goes out before the request body was read. */
  answer(result: Result, early: boolean): Promise<void>;
}

/** One call in flight: what the writers need to answer it. */
export interface FastCall {
  wire: Wire;
  binary: boolean;
  requestId: string;
  /** The client's accept header for response compression (grpc-accept-encoding or accept-encoding). */
  accept: string | undefined;
  /** The client's address, from the socket: what the failed-authentication budget counts by. */
  remoteAddress: string | undefined;
}

/** Node's header object as the call pipeline reads headers; repeated headers joined as HTTP joins them. */
export const headerGetter = (h: IncomingHttpHeaders) => ({
  get(name: string): string | null {
    const v = h[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  },
});

const identity = (v: string | string[] | undefined) => v === undefined || v === "identity";

/** gRPC, gRPC-web (not its text mode) or Connect unary with an uncompressed body, or null. */
function classify(headers: IncomingHttpHeaders): { wire: Wire; binary: boolean } | null {
  const type = headers["content-type"];
  if (type === undefined) return null;
  const grpc = grpcTypeRegExp.exec(type);
  if (grpc) return identity(headers["grpc-encoding"]) ? { wire: "grpc", binary: grpc[1] === undefined } : null;
  const web = grpcWebTypeRegExp.exec(type);
  if (web) return web[1] === undefined && identity(headers["grpc-encoding"]) ? { wire: "grpc-web", binary: web[2] === undefined } : null;
  if (contentTypeUnaryRegExp.test(type) && identity(headers["content-encoding"])) {
    return { wire: "connect", binary: type.charCodeAt(12) === 0x70 || type.charCodeAt(12) === 0x50 }; // "application/p…"
  }
  return null;
}

const timedOut = () => new ConnectError("the operation timed out", Code.DeadlineExceeded);
const canceled = () => new ConnectError("the client went away", Code.Canceled);

export function createFastPath(opts: FastPathOptions): FastPath {
  const codecs = new Map<string, RouteCodec>();
  /** "membership.v1.ProjectService/GetProject": how the access log and the metrics name a route. */
  const procedures = new Map<RouteCodec, string>();
  for (const r of opts.routes) {
    if (r.kind !== "unary") continue;
    const codec = createRouteCodec(r, opts);
    codecs.set(routePath(r), codec);
    procedures.set(codec, routePath(r).slice(1));
  }
  const maxTimeoutMs = opts.maxTimeoutMs ?? Number.MAX_SAFE_INTEGER;
  const observer = opts.observer ?? noObserver;

  /** Runs the call once the body is in; settles with the response bytes or a ConnectError. */
  async function execute(codec: RouteCodec, call: FastCall, input: CallInput, caller: CallContext | null, body: Uint8Array) {
    const req = codec.parse(call.binary, body);
    const out = await callUnary(opts.deps, codec.route, req as never, input, caller);
    return codec.serialize(call.binary, out);
  }

  /**
   * The life of one call, common to both HTTP versions: deadline, client
   * abort, body, execution, exactly one answer, and its record ended once
   * the answer is written (or the client is gone).
   */
  function run(codec: RouteCodec, call: FastCall, headers: IncomingHttpHeaders, io: CallIO, httpVersion: string): void {
    const { readInput, onClientGone, abandon, answer } = io;
    const record = observer.start(procedures.get(codec)!, call.wire, httpVersion, call.requestId, false);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let bodyRead = false;
    const controller = new AbortController();
    const settle = (result: Uint8Array | ConnectError) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      record.code = result instanceof ConnectError ? result.code : 0;
      answer(result, !bodyRead).then(
        () => record.end(),
        () => {
          abandon();
          record.end();
        },
      );
    };
    const timeout = call.wire !== "connect"
      ? parseGrpcTimeout(headerGetter(headers).get("grpc-timeout"), maxTimeoutMs)
      : parseConnectTimeout(headerGetter(headers).get("connect-timeout-ms"), maxTimeoutMs);
    if (timeout.timeoutMs !== undefined && timeout.timeoutMs <= MAX_TIMER_MS) {
      timer = setTimeout(() => {
        const err = timedOut();
        controller.abort(err);
        settle(err);
      }, timeout.timeoutMs);
    }
    onClientGone(() => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      controller.abort(canceled());
      record.end();
    });
    const input: CallInput = {
      headers: headerGetter(headers),
      requestId: call.requestId,
      signal: controller.signal,
      remoteAddress: call.remoteAddress,
      record,
    };
    // As Connect's request gate: the caller is admitted before the body is
    // read, and a malformed timeout is reported only to a caller admitted.
    admitCall(opts.deps, codec.route, input)
      .then(async (caller) => {
        if (timeout.error) throw timeout.error;
        if (settled) return;
        // A body that fails to arrive (not one that arrives wrong) means the client went away.
        const body = await readInput().catch((err: unknown) => Promise.reject(err instanceof ConnectError ? err : canceled()));
        bodyRead = true;
        if (settled) return;
        return execute(codec, call, input, caller, body).then(settle);
      })
      .catch((err: unknown) => settle(asCallError(opts.deps, err)));
  }

  const acceptOf = (wire: Wire, h: IncomingHttpHeaders) => (wire === "connect" ? h["accept-encoding"] : h["grpc-accept-encoding"]) as string | undefined;

  return {
    serveHttp2(stream, headers) {
      if (headers[":method"] !== "POST" || headers.origin !== undefined) return false;
      const codec = codecs.get(headers[":path"] ?? "");
      const kind = codec && classify(headers);
      if (!codec || !kind) return false;
      const call: FastCall = {
        ...kind,
        requestId: pickRequestId(headers["x-request-id"]),
        accept: acceptOf(kind.wire, headers),
        remoteAddress: stream.session?.socket?.remoteAddress,
      };
      stream.on("error", () => {}); // resets surface as 'close'; nothing to report
      const read = call.wire === "connect"
        ? () => readBody(stream, opts.readMaxBytes, headers["content-length"])
        : () => readEnvelopedBody(stream, opts.readMaxBytes);
      const answer = (result: Result, early: boolean) =>
        call.wire === "grpc" ? writeGrpc(stream, call, result, opts, early)
        : call.wire === "grpc-web" ? writeGrpcWeb(http2Sink(stream, early), call, result, opts)
        : writeConnect(http2Sink(stream, early), call, result, opts);
      run(codec, call, headers, { readInput: read, onClientGone: (gone) => stream.once("close", gone), abandon: () => stream.destroy(), answer }, "2");
      return true;
    },

    serveHttp1(req, res) {
      // Without Host (HTTP/1.0 may omit it) the edge answers 400, as it must for Connect.
      if (req.method !== "POST" || req.headers.origin !== undefined || req.headers.host === undefined) return false;
      const codec = codecs.get(req.url ?? "");
      const kind = codec && classify(req.headers);
      if (!codec || !kind || kind.wire === "grpc") return false;
      const call: FastCall = {
        ...kind,
        requestId: pickRequestId(req.headers["x-request-id"]),
        accept: acceptOf(kind.wire, req.headers),
        remoteAddress: req.socket.remoteAddress,
      };
      req.on("error", () => {});
      const read = call.wire === "connect"
        ? () => readBody(req, opts.readMaxBytes, req.headers["content-length"])
        : () => readEnvelopedBody(req, opts.readMaxBytes);
      const onClientGone = (gone: () => void) => res.once("close", () => res.writableFinished || gone());
      const answer = (result: Result, early: boolean) =>
        (call.wire === "grpc-web" ? writeGrpcWeb : writeConnect)(http1Sink(req, res, early), call, result, opts);
      run(codec, call, req.headers, { readInput: read, onClientGone, abandon: () => res.destroy(), answer }, req.httpVersion);
      return true;
    },
  };
}

/**
 * Errors of the pipeline are ConnectErrors already. A body that does not
 * decode is the client's fault (requestDecodeFault). Anything else is a bug
 * here: logged, and hidden from the client.
 */
function asCallError(deps: RouteCallDeps, err: unknown): ConnectError {
  if (!(err instanceof ConnectError)) {
    deps.log.error("fast path failed", describeError(err));
    return new ConnectError("internal error", Code.Internal);
  }
  return requestDecodeFault(err.code, err.rawMessage) ?? err;
}
