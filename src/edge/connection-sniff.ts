// Which HTTP a cleartext connection speaks, told by its first bytes, and the
// wait for them. Node's http2 server refuses HTTP/1.1 even with allowHTTP1,
// so the listener looks for the HTTP/2 preface itself.
import type { Socket } from "node:net";

const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/**
 * Reads in paused mode until the bytes seen can no longer be a prefix of the
 * HTTP/2 preface (HTTP/1.1) or the whole preface has arrived (h2c), puts
 * them back and reports. The socket stays paused, so whichever server takes
 * it next reads those bytes first, with no resume() needed.
 */
export function sniffHttpVersion(socket: Socket, done: (isH2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const onReadable = () => {
    for (let chunk: Buffer | null; (chunk = socket.read() as Buffer | null) !== null; ) {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, H2_PREFACE.length);
      const isH2 = seen.compare(H2_PREFACE, 0, n, 0, n) !== 0 ? false : n === H2_PREFACE.length ? true : undefined;
      if (isH2 === undefined) continue;
      socket.off("readable", onReadable);
      socket.unshift(seen);
      done(isH2);
      return;
    }
  };
  socket.on("readable", onReadable);
}

/**
 * Connections that have not yet shown what they speak (the h2c preface or a
 * request line, or a finished TLS handshake), by peer address, so that the
 * TCP socket and the TLS socket over it find the same entry. Each has
 * `timeoutMs` to do so; Node's TLS handshakeTimeout starts only with the
 * first bytes of a handshake, so a connection that sends none needs this too.
 */
export function createPendingConnections(timeoutMs: number) {
  const waiting = new Map<string, { socket: Socket; timer: NodeJS.Timeout }>();
  const peer = (s: Socket) => `${s.remoteAddress}:${s.remotePort}`;
  const settle = (key: string) => {
    clearTimeout(waiting.get(key)?.timer);
    waiting.delete(key);
  };
  return {
    arrived(socket: Socket): void {
      const key = peer(socket);
      waiting.set(key, { socket, timer: setTimeout(() => socket.destroy(), timeoutMs) });
      socket.once("close", () => settle(key));
    },
    /** The connection has shown what it speaks. */
    settled: (socket: Socket) => settle(peer(socket)),
    dropAll(): void {
      for (const { socket } of waiting.values()) socket.destroy();
    },
  };
}
