// The listener's open connections: what connectionCount() reports, and what
// a graceful close waits for, tells to stop and finally destroys.
import type { ServerResponse } from "node:http";
import type { Http2Session } from "node:http2";
import type { Socket } from "node:net";

/** A connection as HTTP sees it: the TCP socket in cleartext, the TLS socket with TLS. */
interface Conn {
  socket: Socket;
  h2: boolean;
  /** HTTP/1.1 responses not closed yet. */
  responses: Set<ServerResponse>;
}

export function createConnections() {
  // TCP sockets, counted from accept to close whatever they turn out to speak.
  const sockets = new Set<Socket>();
  const conns = new Map<Socket, Conn>();
  const sessions = new Set<Http2Session>();
  let closing = false;
  let drained: (() => void) | undefined;

  return {
    count: () => sockets.size,

    accepted(socket: Socket): void {
      // Resets and half-open peers surface here; the owning server cleans up.
      socket.on("error", () => {});
      sockets.add(socket);
      socket.once("close", () => {
        sockets.delete(socket);
        if (sockets.size === 0) drained?.();
      });
    },

    /** The connection is handed to the HTTP/1.1 or HTTP/2 server. */
    handed(socket: Socket, h2: boolean): void {
      conns.set(socket, { socket, h2, responses: new Set() });
      socket.once("close", () => conns.delete(socket));
    },

    session(session: Http2Session): void {
      sessions.add(session);
      session.once("close", () => sessions.delete(session));
      if (closing) session.close();
    },

    /** An HTTP/1.1 response in progress: a closing listener ends its connection once it is sent. */
    response(socket: Socket, res: ServerResponse): void {
      const conn = conns.get(socket);
      if (conn === undefined) return;
      conn.responses.add(res);
      if (closing) res.shouldKeepAlive = false;
      res.once("close", () => {
        conn.responses.delete(res);
        if (closing && conn.responses.size === 0) socket.end();
      });
    },

    /** Tells every connection to stop, and destroys what is left after `graceMs`; resolves when all are gone. */
    drain(graceMs: number): Promise<void> {
      closing = true;
      const allGone = new Promise<void>((resolve) => {
        drained = resolve;
        if (sockets.size === 0) resolve();
      });
      // GOAWAY: in-flight streams finish, no new ones start.
      for (const session of sessions) session.close();
      for (const conn of conns.values()) {
        if (conn.h2) continue;
        if (conn.responses.size === 0) conn.socket.destroy();
        // Busy: the response in progress tells the client not to reuse the
        // connection, and the socket ends once it is sent (see response()).
        for (const res of conn.responses) res.shouldKeepAlive = false;
      }
      const timer = setTimeout(() => {
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      }, graceMs);
      return allGone.then(() => clearTimeout(timer));
    },
  };
}
