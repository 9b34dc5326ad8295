// Limits on what a client may hold open: request heads that never finish,
// request bodies that stall, idle keep-alive connections. Each is checked
// with real sockets that never close on their own side, so a 'close' event
// means the server closed them. Waits are generous; nothing here asserts
// how fast.
import type { ServerResponse } from "node:http";
import * as net from "node:net";
import * as tls from "node:tls";
import { describe, expect, it } from "vitest";
import { startListener, type ListenerOptions } from "../../src/edge/listener.ts";
import { closeAfterEach, sleep, until } from "./helpers.ts";
import { testCert } from "../helpers/test-cert.ts";

const closeLater = closeAfterEach();
const LIMIT_MS = 300;
const WAIT_MS = 8000;
const cert = testCert();

// Reads the whole body, then answers with the number of bytes read.
const countBody: ListenerOptions["handler"] = (req, res) => {
  let n = 0;
  req.on("data", (c: Buffer) => (n += c.length));
  req.on("end", () => res.end(String(n)));
};

const limits = { headersTimeoutMs: LIMIT_MS, bodyTimeoutMs: LIMIT_MS, idleTimeoutMs: LIMIT_MS };

async function start(opts: Partial<ListenerOptions> = {}) {
  return closeLater(await startListener({ host: "127.0.0.1", port: 0, handler: countBody, ...limits, ...opts }));
}

interface Client {
  socket: net.Socket;
  received: () => string;
  closed: () => boolean;
}

/** A client socket (TLS offering only `alpn` when `secure`) that writes `data` once connected and never ends by itself. */
async function connect(port: number, data: string, secure: boolean, alpn = "http/1.1"): Promise<Client> {
  const socket = secure
    ? tls.connect({ port, host: "127.0.0.1", ca: cert.cert, servername: "localhost", ALPNProtocols: [alpn] })
    : net.connect(port, "127.0.0.1");
  let text = "";
  let closed = false;
  socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
  socket.on("error", () => {});
  socket.on("close", () => (closed = true));
  // A handshake slower than the limit is closed before it completes; that counts as closed too.
  const ready = await new Promise<boolean>((r) => {
    socket.once(secure ? "secureConnect" : "connect", () => r(true));
    socket.once("close", () => r(false));
  });
  if (ready && data !== "") socket.write(data);
  return { socket, received: () => text, closed: () => closed };
}

const HALF_HEADS = [
  "G",
  "GET / HTTP/1.1\r\n",
  "GET / HTTP/1.1\r\nHost: x\r\n",
  "POST /membership.v1.ProjectService/GetProject HTTP/1.1\r\nHost: x\r\nContent-Type: applic",
  "P", // also a prefix of the HTTP/2 preface
  "PRI * HTTP/2.0\r\n",
];

describe.each([
  { mode: "cleartext", secure: false },
  { mode: "TLS", secure: true },
])("HTTP/1.1 limits ($mode)", ({ secure }) => {
  const tlsOpts = secure ? { tls: cert } : {};

  it("closes many connections whose request heads never complete", async () => {
    const l = await start(tlsOpts);
    const heads = secure ? HALF_HEADS.filter((h) => !h.startsWith("P")) : HALF_HEADS;
    const count = secure ? 40 : 120; // TLS handshakes are slow on a shared CI machine
    const clients = await Promise.all(Array.from({ length: count }, (_, i) => connect(l.port, heads[i % heads.length]!, secure)));
    await until(() => clients.every((c) => c.closed()), WAIT_MS);
    await until(() => l.connectionCount() === 0);
  });

  it("closes a connection whose request body stalls", async () => {
    const l = await start(tlsOpts);
    const clients = await Promise.all(
      Array.from({ length: 20 }, () => connect(l.port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab", secure)),
    );
    await until(() => clients.every((c) => c.closed()), WAIT_MS);
    await until(() => l.connectionCount() === 0);
  });

  it("closes an idle keep-alive connection after its response", async () => {
    const l = await start(tlsOpts);
    const c = await connect(l.port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", secure);
    // Still generous, but shorter than Node's default keep-alive (5 s + 1 s), so the configured limit is what closed it.
    await until(() => c.closed(), 4000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n3$/);
    expect(c.received()).not.toMatch(/connection: close/i);
  });

  it("keeps a body that arrives slowly but steadily", async () => {
    // The whole body takes longer than the limit, each gap far less: a wide
    // margin, so a loaded machine's late timers do not turn a gap into a stall.
    const l = await start({ ...tlsOpts, bodyTimeoutMs: LIMIT_MS * 4 });
    const c = await connect(l.port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n", secure);
    for (let i = 0; i < 10; i++) {
      await sleep(LIMIT_MS / 2);
      c.socket.write("z");
    }
    await until(() => c.received().endsWith("\r\n\r\n10"), WAIT_MS);
    expect(c.closed()).toBe(false);
    c.socket.destroy();
  });

  it("never cuts a quiet streaming response", async () => {
    // Sends headers and one chunk, stays quiet for several limits, then ends.
    const l = await start({
      ...tlsOpts,
      handler: (req, r) => {
        const res = r as ServerResponse;
        req.resume();
        req.on("end", () => {
          res.writeHead(200, { "content-type": "text/plain" });
          res.write("first;");
          setTimeout(() => res.end("last"), LIMIT_MS * 5);
        });
      },
    });
    const c = await connect(l.port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok", secure);
    await until(() => c.received().includes("last"), WAIT_MS);
    expect(c.received()).toMatch(/first;[\s\S]*last/);
    c.socket.destroy();
  });
});

const PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const EMPTY_SETTINGS = "\x00\x00\x00\x04\x00\x00\x00\x00\x00";
// A HEADERS frame for stream 1 without END_HEADERS: the header block never completes.
const OPEN_HEADERS = "\x00\x00\x01\x01\x00\x00\x00\x00\x01\x82";

describe.each([
  { mode: "h2c", secure: false },
  { mode: "h2 over TLS", secure: true },
])("HTTP/2 request heads ($mode)", ({ secure }) => {
  it("closes sessions that send no complete request head in time, however long the idle timeout", async () => {
    const l = await start({ ...(secure ? { tls: cert } : {}), idleTimeoutMs: 60_000 });
    const starts = [PREFACE, PREFACE + EMPTY_SETTINGS, PREFACE + EMPTY_SETTINGS + OPEN_HEADERS];
    const clients = await Promise.all(Array.from({ length: 30 }, (_, i) => connect(l.port, starts[i % starts.length]!, secure, "h2")));
    await until(() => clients.every((c) => c.closed()), WAIT_MS);
    await until(() => l.connectionCount() === 0);
  });
});
