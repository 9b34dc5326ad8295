// How long a client may hold a connection without making progress. Each
// limit covers a wait on the client: for its request head, its request body,
// its next request. A quiet response (a change stream with nothing new) is
// never a reason to close: the server is the one waiting there.
import type { IncomingMessage, ServerOptions } from "node:http";
import type { Http2Session } from "node:http2";

export interface ConnectionLimits {
  /** Complete request headers (HTTP/1.1), a TLS handshake, the first request of an HTTP/2 session. Default 10 000. */
  headersTimeoutMs?: number;
  /** A whole HTTP/1.1 request, head and body; 0 for none. The response may take longer. Default 300 000. */
  requestTimeoutMs?: number;
  /** An HTTP/1.1 request body from which nothing arrives for this long is abandoned; 0 for none. Default 30 000. */
  bodyTimeoutMs?: number;
  /** Keep-alive timeout of HTTP/1.1 sockets and idle timeout of HTTP/2 sessions. Default 60 000. */
  idleTimeoutMs?: number;
}

export function withDefaults(l: ConnectionLimits): Required<ConnectionLimits> {
  return {
    headersTimeoutMs: l.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: l.requestTimeoutMs ?? 300_000,
    bodyTimeoutMs: l.bodyTimeoutMs ?? 30_000,
    idleTimeoutMs: l.idleTimeoutMs ?? 60_000,
  };
}

/** Options of Node's HTTP/1.1 server, for http.createServer and for createSecureServer's http1Options. */
export function http1ServerOptions(l: Required<ConnectionLimits>): Pick<
  ServerOptions,
  "headersTimeout" | "requestTimeout" | "keepAliveTimeout" | "connectionsCheckingInterval"
> {
  return {
    headersTimeout: l.headersTimeoutMs,
    // Node refuses a request timeout shorter than the headers timeout.
    requestTimeout: l.requestTimeoutMs > 0 ? Math.max(l.requestTimeoutMs, l.headersTimeoutMs) : 0,
    keepAliveTimeout: l.idleTimeoutMs,
    // Both timeouts are only checked this often; Node's 30 s default would stretch a 10 s limit to 40 s.
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(l.headersTimeoutMs / 2))),
  };
}

/**
 * Destroys the connection when nothing arrives for `ms` while the request
 * body is incomplete. Progress is read from the socket's byte count, since
 * listening for 'data' on the request would take the body from the handler.
 * While the body buffer is full the server is the one not reading, so the
 * wait starts over.
 */
export function watchRequestBody(req: IncomingMessage, ms: number): void {
  if (ms <= 0 || req.complete) return;
  const socket = req.socket;
  let seen = socket.bytesRead;
  const timer = setTimeout(() => {
    if (req.complete || socket.destroyed) return;
    const now = socket.bytesRead;
    if (now === seen && req.readableLength < req.readableHighWaterMark) {
      socket.destroy();
      return;
    }
    seen = now;
    timer.refresh();
  }, ms).unref();
  req.once("close", () => clearTimeout(timer));
}

/**
 * An HTTP/2 session has `ms` to complete its first request head, as an
 * HTTP/1.1 connection has for its headers; otherwise only the much longer
 * idle timeout would close it. GOAWAY first: a client that connected ahead
 * of its first call just reconnects.
 */
export function requireFirstStream(session: Http2Session, ms: number): void {
  const timer = setTimeout(() => {
    session.close();
    setTimeout(() => session.destroy(), ms).unref();
  }, ms).unref();
  session.once("stream", () => clearTimeout(timer));
  session.once("close", () => clearTimeout(timer));
}
