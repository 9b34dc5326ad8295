// One port for HTTP/1.1 and HTTP/2. An outer server accepts every connection
// and hands it to an HTTP/1.1 or an HTTP/2 server that never listens
// themselves: in cleartext by the connection's first bytes
// (connection-sniff.ts), with TLS by ALPN.
import * as http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as http2 from "node:http2";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import * as net from "node:net";
import * as tls from "node:tls";
import { createLogger, type Logger } from "../logger.ts";
import { createPendingConnections, sniffHttpVersion } from "./connection-sniff.ts";
import { createConnections } from "./connections.ts";
import { createHttp2Server } from "./http2-sessions.ts";
import { http1ServerOptions, watchRequestBody, withDefaults, type ConnectionLimits } from "./listener-limits.ts";

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

type Handler = ListenerOptions["handler"];

/** Runs the request handler; a handler that throws answers 500 instead of taking the process down. */
function guarded(handler: Handler, log: Logger): Handler {
  return (req, res) => {
    try {
      handler(req, res);
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
}

export async function startListener(opts: ListenerOptions): Promise<Listener> {
  const limits = withDefaults(opts);
  const log = opts.log ?? createLogger("error");
  const connections = createConnections();
  const pending = createPendingConnections(limits.headersTimeoutMs);
  const handle = guarded(opts.handler, log);

  const h1 = http.createServer(http1ServerOptions(limits));
  h1.on("request", (req: IncomingMessage, res: ServerResponse) => {
    connections.response(req.socket, res);
    watchRequestBody(req, limits.bodyTimeoutMs);
    handle(req, res);
  });
  // Node only starts the timer that enforces headersTimeout on 'listening'; start it by hand.
  h1.emit("listening");
  const h2 = createHttp2Server({
    headersTimeoutMs: limits.headersTimeoutMs,
    idleTimeoutMs: limits.idleTimeoutMs,
    onRequest: handle,
    claimStream: opts.claimHttp2Stream,
    onSession: (session) => connections.session(session),
  });

  const arrived = (socket: net.Socket) => {
    connections.accepted(socket);
    pending.arrived(socket);
  };
  const hand = (socket: net.Socket, isH2: boolean) => {
    pending.settled(socket);
    connections.handed(socket, isH2);
    opts.onConnection?.(isH2 ? "2" : "1.1", socket);
    (isH2 ? h2 : h1).emit("connection", socket);
  };
  const outer = opts.tls ? tlsServer(opts.tls, limits.headersTimeoutMs, arrived, hand) : net.createServer((socket) => {
    arrived(socket);
    sniffHttpVersion(socket, (isH2) => hand(socket, isH2));
  });
  outer.once("close", () => {
    h1.close();
    h2.close();
  });
  await listen(outer, opts.port, opts.host);
  // An accept failure (EMFILE) must not crash the process; the server keeps listening.
  outer.on("error", (err: NodeJS.ErrnoException) => log.error("listener error", { code: err.code ?? "" }));

  const port = (outer.address() as net.AddressInfo).port;
  const urlHost = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  let closed: Promise<void> | undefined;
  return {
    host: opts.host,
    port,
    url: `${opts.tls ? "https" : "http"}://${urlHost}:${port}`,
    connectionCount: connections.count,
    close(graceMs = 5000) {
      closed ??= (() => {
        const serverClosed = new Promise<void>((r) => outer.close(() => r()));
        const drained = connections.drain(graceMs);
        pending.dropAll();
        return Promise.all([serverClosed, drained]).then(() => undefined);
      })();
      return closed;
    },
  };
}

function tlsServer(
  creds: NonNullable<ListenerOptions["tls"]>,
  handshakeTimeout: number,
  arrived: (socket: net.Socket) => void,
  hand: (socket: net.Socket, isH2: boolean) => void,
): net.Server {
  const secure = tls.createServer(
    { cert: creds.cert, key: creds.key, ALPNProtocols: ["h2", "http/1.1"], handshakeTimeout },
    (socket) => {
      socket.on("error", () => {});
      hand(socket, socket.alpnProtocol === "h2");
    },
  );
  secure.on("connection", arrived);
  secure.on("tlsClientError", () => {});
  return secure;
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
