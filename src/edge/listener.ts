// One port for HTTP/1.1 and HTTP/2. In cleartext, Node's http2 server refuses
// HTTP/1.1 even with allowHTTP1, so a plain net.Server sniffs the first bytes
// of each connection for the HTTP/2 preface and hands the socket to the right
// server. With TLS, ALPN does the choosing.
import * as http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as http2 from "node:http2";
import type { Http2ServerRequest, Http2ServerResponse, Http2Session } from "node:http2";
import * as net from "node:net";
import * as tls from "node:tls";
import { createLogger, type Logger } from "../logger.ts";
import { http1ServerOptions, requireFirstStream, watchRequestBody, withDefaults, type ConnectionLimits } from "./listener-limits.ts";

export interface ListenerOptions extends ConnectionLimits {
  host: string;
  /** 0 picks a free port. */
  port: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  handler: (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;
  /**
   * Offered every HTTP/2 stream before `handler`: returning true claims the
   * stream (the unary fast path answers it on the raw stream), false passes
   * it on to `handler` through Node's request/response objects.
   */
  claimHttp2Stream?: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;
  /** Where listener failures are reported. */
  log?: Logger;
  /** Told of each client connection once it shows its HTTP version (metrics). */
  onConnection?: (httpVersion: "1.1" | "2", socket: net.Socket) => void;
}

export interface Listener {
  readonly host: string;
  readonly port: number;
  /** Like http://127.0.0.1:PORT or https://... */
  readonly url: string;
  /** Number of open client connections (both kinds). */
  connectionCount(): number;
  /** Stop accepting, let in-flight requests finish up to graceMs, then destroy what is left. Resolves when all sockets are closed. Idempotent. */
  close(graceMs?: number): Promise<void>;
}

const h2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** A connection as HTTP sees it: the TCP socket in cleartext, the TLS socket with TLS. */
interface Conn {
  socket: net.Socket;
  h2: boolean;
  /** HTTP/1.1 responses not closed yet. */
  responses: Set<ServerResponse>;
}

/**
 * Node lets a peer open 2^32-1 concurrent streams on one session; a cap bounds
 * what one client connection can hold (each stream is a call, a Watch may
 * last hours). gRPC's own servers default to 100; unary bursts want more.
 */
const MAX_CONCURRENT_STREAMS = 1000;

export async function startListener(opts: ListenerOptions): Promise<Listener> {
  const limits = withDefaults(opts);
  const { headersTimeoutMs, idleTimeoutMs } = limits;
  const log = opts.log ?? createLogger("error");
  // TCP sockets: what connectionCount() reports and what the grace timer destroys.
  const sockets = new Set<net.Socket>();
  const conns = new Map<net.Socket, Conn>();
  const sessions = new Set<Http2Session>();
  let closing = false;
  let drained: (() => void) | undefined;

  const trackSocket = (socket: net.Socket) => {
    // Resets and half-open peers surface here; the owning server cleans up.
    socket.on("error", () => {});
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      if (sockets.size === 0) drained?.();
    });
  };

  const trackConn = (socket: net.Socket, h2: boolean) => {
    const conn: Conn = { socket, h2, responses: new Set() };
    conns.set(socket, conn);
    socket.once("close", () => conns.delete(socket));
    return conn;
  };

  const trackHttp1 = (socket: net.Socket, res: ServerResponse) => {
    const conn = conns.get(socket);
    if (conn === undefined) return;
    conn.responses.add(res);
    if (closing) res.shouldKeepAlive = false;
    res.once("close", () => {
      conn.responses.delete(res);
      if (closing && conn.responses.size === 0) socket.end();
    });
  };

  const onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    if (!("stream" in req)) {
      trackHttp1(req.socket, res as ServerResponse);
      watchRequestBody(req, limits.bodyTimeoutMs);
    }
    try {
      opts.handler(req, res);
    } catch {
      log.error("request handler threw");
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else {
        res.destroy();
      }
    }
  };

  const onSession = (session: Http2Session) => {
    session.on("error", () => {});
    requireFirstStream(session, headersTimeoutMs);
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
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
    if (closing) session.close();
  };

  // HTTP/1.1, over cleartext or TLS: this server never listens itself, the
  // outer server hands it the sockets that do not speak HTTP/2.
  const h1 = http.createServer(http1ServerOptions(limits));
  h1.on("request", onRequest);
  // Node only starts the timer that enforces headersTimeout on 'listening'; start it by hand.
  h1.emit("listening");
  // HTTP/2 streams arrive raw ('stream'); those the fast path does not claim
  // go through `compat`, a server that never listens and only turns streams
  // into request/response objects. A 'request' listener on the listening
  // server itself would make Node build those objects for every stream.
  const compat = http2.createServer();
  compat.on("request", onRequest);
  const onStream = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number, rawHeaders: string[]) => {
    if (opts.claimHttp2Stream?.(stream, headers)) return;
    compat.emit("stream", stream, headers, flags, rawHeaders);
  };

  // One HTTP/2 server for both cleartext (h2c) and TLS (h2 by ALPN): it
  // never listens itself; the outer server hands it the connections that
  // speak HTTP/2, as it hands h1 the others.
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS } });
  h2.on("sessionError", () => {});
  h2.on("session", onSession);
  h2.on("stream", onStream);

  // Connections that have not yet shown what they speak (the h2c preface or
  // a request line, or a finished TLS handshake), by peer address: each has
  // the headers timeout to do so, and close() drops them at once. Node's TLS
  // handshakeTimeout only starts with the first bytes of a handshake, so a
  // connection that sends none needs this timer too.
  const waiting = new Map<string, { socket: net.Socket; timer: NodeJS.Timeout }>();
  const peer = (s: net.Socket) => `${s.remoteAddress}:${s.remotePort}`;
  const arrived = (socket: net.Socket) => {
    trackSocket(socket);
    const key = peer(socket);
    waiting.set(key, { socket, timer: setTimeout(() => socket.destroy(), headersTimeoutMs) });
    socket.once("close", () => settle(key));
  };
  const settle = (key: string) => {
    clearTimeout(waiting.get(key)?.timer);
    waiting.delete(key);
  };
  const hand = (socket: net.Socket, isH2: boolean) => {
    settle(peer(socket));
    trackConn(socket, isH2);
    opts.onConnection?.(isH2 ? "2" : "1.1", socket);
    (isH2 ? h2 : h1).emit("connection", socket);
  };
  let outer: net.Server;
  if (opts.tls) {
    const secure = tls.createServer(
      { cert: opts.tls.cert, key: opts.tls.key, ALPNProtocols: ["h2", "http/1.1"], handshakeTimeout: headersTimeoutMs },
      (socket) => {
        socket.on("error", () => {});
        hand(socket, socket.alpnProtocol === "h2");
      },
    );
    secure.on("connection", arrived);
    secure.on("tlsClientError", () => {});
    outer = secure;
  } else {
    outer = net.createServer((socket) => {
      arrived(socket);
      sniff(socket, (isH2) => {
        // Http2Session reads what is buffered on the socket itself; the HTTP/1.1
        // parser reads the TCP handle directly, and resuming flushes the bytes
        // put back through its 'data' listener first.
        hand(socket, isH2);
        if (!isH2) socket.resume();
      });
    });
  }
  outer.once("close", () => {
    h1.close();
    h2.close();
  });

  await new Promise<void>((resolve, reject) => {
    outer.once("error", reject);
    outer.listen(opts.port, opts.host, () => {
      outer.off("error", reject);
      resolve();
    });
  });
  // An accept failure (EMFILE) must not crash the process; the server keeps listening.
  outer.on("error", (err: NodeJS.ErrnoException) => log.error("listener error", { code: err.code ?? "" }));

  const port = (outer.address() as net.AddressInfo).port;
  const urlHost = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  let closed: Promise<void> | undefined;

  return {
    host: opts.host,
    port,
    url: `${opts.tls ? "https" : "http"}://${urlHost}:${port}`,
    connectionCount: () => sockets.size,
    close(graceMs = 5000) {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        const serverClosed = new Promise<void>((r) => outer.close(() => r()));
        const allGone = new Promise<void>((r) => {
          drained = r;
          if (sockets.size === 0) r();
        });
        // GOAWAY: in-flight streams finish, no new ones start.
        for (const session of sessions) session.close();
        for (const { socket } of waiting.values()) socket.destroy();
        for (const conn of conns.values()) {
          if (conn.h2) continue;
          if (conn.responses.size === 0) conn.socket.destroy();
          // Busy: the response in progress tells the client not to reuse the connection,
          // and the socket ends once it is sent (see trackHttp1).
          for (const res of conn.responses) res.shouldKeepAlive = false;
        }
        const timer = setTimeout(() => {
          for (const session of sessions) session.destroy();
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        void Promise.all([serverClosed, allGone]).then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closed;
    },
  };
}

/**
 * Reads until the bytes seen so far can no longer be a prefix of the HTTP/2
 * preface (HTTP/1.1) or the full preface has arrived (h2c), puts the bytes
 * back, and reports the verdict.
 */
function sniff(socket: net.Socket, done: (isH2: boolean) => void) {
  let seen: Buffer = Buffer.alloc(0);
  const finish = (isH2: boolean) => {
    socket.off("data", onData);
    socket.pause();
    socket.unshift(seen);
    done(isH2);
  };
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, h2Preface.length);
    if (seen.compare(h2Preface, 0, n, 0, n) !== 0) finish(false);
    else if (n === h2Preface.length) finish(true);
  };
  socket.on("data", onData);
}
