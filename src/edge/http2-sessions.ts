// The HTTP/2 side of the listener: one server for h2c and h2 over TLS that
// never listens itself, sessions with a first-request deadline and an idle
// check that tells a quiet stream from a vanished peer.
import * as http2 from "node:http2";
import type { Http2ServerRequest, Http2ServerResponse, Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import { requireFirstStream } from "./listener-limits.ts";

/**
 * Node lets a peer open 2^32-1 concurrent streams on one session; a cap bounds
 * what one client connection can hold (each stream is a call, a Watch may
 * last hours). gRPC's own servers default to 100; unary bursts want more.
 */
const MAX_CONCURRENT_STREAMS = 1000;

export interface Http2Options {
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  onRequest: (req: Http2ServerRequest, res: Http2ServerResponse) => void;
  claimStream?: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => boolean;
  onSession: (session: Http2Session) => void;
}

/**
 * Streams arrive raw ('stream'); those `claimStream` does not take go through
 * `compat`, a server that never listens and only turns streams into
 * request/response objects. A 'request' listener on the serving server itself
 * would make Node build those objects for every stream.
 */
export function createHttp2Server(opts: Http2Options): http2.Http2Server {
  const compat = http2.createServer();
  compat.on("request", opts.onRequest);
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS } });
  h2.on("sessionError", () => {});
  h2.on("session", (session: Http2Session) => {
    watchSession(session, opts.headersTimeoutMs, opts.idleTimeoutMs);
    opts.onSession(session);
  });
  h2.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number, rawHeaders: string[]) => {
    if (opts.claimStream?.(stream, headers)) return;
    compat.emit("stream", stream, headers, flags, rawHeaders);
  });
  h2.once("close", () => compat.close());
  return h2;
}

function watchSession(session: Http2Session, headersTimeoutMs: number, idleTimeoutMs: number): void {
  session.on("error", () => {});
  requireFirstStream(session, headersTimeoutMs);
  let streams = 0;
  session.on("stream", (stream) => {
    streams++;
    stream.once("close", () => streams--);
  });
  // setTimeout's callback runs once; the 'timeout' listener runs every time the timer fires.
  session.setTimeout(idleTimeoutMs);
  session.on("timeout", () => {
    if (streams === 0) return session.close();
    // A quiet stream (a Watch with nothing new) is fine, a vanished peer is
    // not: a PING that goes unanswered tells them apart.
    const dead = setTimeout(() => session.destroy(), Math.min(idleTimeoutMs, 20_000)).unref();
    const sent = session.ping((err) => {
      clearTimeout(dead);
      if (err) session.destroy();
      else if (!session.closed) session.setTimeout(idleTimeoutMs); // re-arm for the next quiet period
    });
    if (!sent) clearTimeout(dead);
  });
}
