import * as http2 from "node:http2";
import * as https from "node:https";
import * as net from "node:net";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";
import { describe, expect, it } from "vitest";
import { startListener, type ListenerOptions } from "../../src/edge/listener.ts";
import { closeAfterEach, h1Request, h2Request, sleep, until } from "./helpers.ts";
import { testCert } from "../helpers/test-cert.ts";

const h2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const closeLater = closeAfterEach();

// Answers with the HTTP version and the number of body bytes it read.
const echoVersion: ListenerOptions["handler"] = (req, res) => {
  let n = 0;
  req.on("data", (c: Buffer) => (n += c.length));
  req.on("end", () => res.end(`${req.httpVersion} ${n}`));
};

async function start(opts: Partial<ListenerOptions> = {}) {
  return closeLater(await startListener({ host: "127.0.0.1", port: 0, handler: echoVersion, ...opts }));
}

/** Connects, writes, and resolves with everything the server sent until it closed the socket. */
function rawExchange(port: number, data?: string | Buffer): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = net.connect(port, "127.0.0.1", () => data !== undefined && socket.write(data));
    let text = "";
    socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve({ text, ms: Date.now() - t0 }));
  });
}

describe("startListener in cleartext", () => {
  it("serves HTTP/1.1 and h2c prior knowledge on the same port", async () => {
    const l = await start();
    const body = Buffer.alloc(100_000, 7);
    const r1 = await h1Request(l.url, { method: "POST", body });
    const r2 = await h2Request(l.url, { ":method": "POST", ":path": "/" }, body);
    expect(r1.body.toString()).toBe("1.1 100000");
    expect(r2.body.toString()).toBe("2.0 100000");
    expect(l.url).toBe(`http://127.0.0.1:${l.port}`);
  });

  it("takes the HTTP/1.1 decision even when the request arrives one byte at a time", async () => {
    const l = await start();
    const socket = net.connect(l.port, "127.0.0.1");
    const request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc";
    let text = "";
    socket.on("data", (c: Buffer) => (text += c.toString()));
    for (const ch of request) {
      socket.write(ch);
      await sleep(1);
    }
    await Promise.race([new Promise((r) => socket.on("close", r)), sleep(3000)]);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text.endsWith("1.1 3")).toBe(true);
  });

  it("closes a socket that sends nothing after headersTimeoutMs", async () => {
    const l = await start({ headersTimeoutMs: 300 });
    const { ms } = await rawExchange(l.port);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2000);
    await until(() => l.connectionCount() === 0);
  });

  it("closes an HTTP/1.1 socket whose headers never complete", async () => {
    const l = await start({ headersTimeoutMs: 300 });
    const { text, ms } = await rawExchange(l.port, "GET / HTTP/1.1\r\nHost: x\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(2000);
  });

  it("survives garbage and keeps serving", async () => {
    const l = await start();
    const h1Garbage = await rawExchange(l.port, "\x16\x03\x01garbage\r\n\r\n");
    expect(h1Garbage.text).toMatch(/^HTTP\/1\.1 400/);
    await rawExchange(l.port, Buffer.concat([Buffer.from(h2Preface), Buffer.alloc(64, 0xff)]));
    const reset = net.connect(l.port, "127.0.0.1", () => reset.resetAndDestroy());
    reset.on("error", () => {});
    await sleep(20);
    expect((await h1Request(l.url)).body.toString()).toBe("1.1 0");
    expect((await h2Request(l.url, { ":path": "/" })).body.toString()).toBe("2.0 0");
  });

  it("lets an in-flight request finish within the grace period", async () => {
    let started!: () => void;
    const inHandler = new Promise<void>((r) => (started = r));
    const l = await start({
      handler: (req, res) => {
        started();
        setTimeout(() => res.end(`slow ${req.httpVersion}`), 300);
      },
    });
    const h1 = h1Request(l.url);
    const h2 = h2Request(l.url, { ":path": "/" });
    await inHandler;
    await sleep(20);
    const t0 = Date.now();
    await l.close(3000);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await h1).body.toString()).toBe("slow 1.1");
    expect((await h2).body.toString()).toBe("slow 2.0");
    expect(l.connectionCount()).toBe(0);
  });

  it("closes idle keep-alive connections at once", async () => {
    const l = await start();
    const res = await fetch(l.url); // undici keeps the connection alive
    expect(await res.text()).toBe("1.1 0");
    expect(l.connectionCount()).toBe(1);
    const t0 = Date.now();
    await l.close(5000);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("drops at once, on close, a connection that has not said what it speaks", async () => {
    const l = await start();
    const socket = net.connect(l.port, "127.0.0.1");
    socket.on("error", () => {});
    await until(() => l.connectionCount() === 1);
    const t0 = Date.now();
    await l.close(5000);
    expect(Date.now() - t0).toBeLessThan(1000);
    socket.destroy();
  });

  it("closes an idle HTTP/2 session but keeps a quiet stream alive", async () => {
    const l = await start({
      idleTimeoutMs: 300,
      handler: (req, res) => void setTimeout(() => res.end("late"), 900),
    });
    const session = http2.connect(l.url);
    const sessionClosed = new Promise((r) => session.on("close", r));
    const t0 = Date.now();
    const stream = session.request({ ":path": "/" });
    let body = "";
    stream.on("data", (c: Buffer) => (body += c.toString()));
    await new Promise((r) => stream.on("end", r));
    expect(body).toBe("late");
    await sessionClosed;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1100);
  });

  it("destroys what outlives the grace period", async () => {
    const l = await start({ handler: () => {} }); // never answers
    const h1 = h1Request(l.url).catch((e: Error) => e);
    const h2 = h2Request(l.url, { ":path": "/" }).catch((e: Error) => e);
    await sleep(100);
    expect(l.connectionCount()).toBe(2);
    const t0 = Date.now();
    await l.close(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(await h1).toBeInstanceOf(Error);
    expect(await h2).toBeInstanceOf(Error);
    expect(l.connectionCount()).toBe(0);
    await l.close(); // idempotent
  });
});

describe("startListener with TLS", () => {
  const tls = testCert();

  it("negotiates h2 via ALPN", async () => {
    const l = await start({ tls });
    expect(l.url).toMatch(/^https:/);
    const r = await h2Request(l.url, { ":path": "/" }, undefined, { ca: tls.cert, servername: "localhost" });
    expect(r.alpn).toBe("h2");
    expect(r.body.toString()).toBe("2.0 0");
  });

  it("serves http/1.1 to a client that offers only http/1.1", async () => {
    const l = await start({ tls });
    const body = await new Promise<string>((resolve, reject) => {
      // https.request passes TLS options through to tls.connect; its typings just do not list ALPNProtocols.
      const options: https.RequestOptions & ConnectionOptions = {
        ca: tls.cert,
        servername: "localhost",
        ALPNProtocols: ["http/1.1"],
        agent: false,
      };
      const req = https.request(
        `${l.url}/`,
        options,
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(body).toBe("1.1 0");
  });

  it("closes an HTTP/1.1 connection whose headers never complete", async () => {
    const l = await start({ tls, headersTimeoutMs: 300 });
    const socket = tlsConnect({ port: l.port, host: "127.0.0.1", ca: tls.cert, servername: "localhost", ALPNProtocols: ["http/1.1"] });
    socket.on("secureConnect", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\n"));
    let text = "";
    socket.on("data", (c: Buffer) => (text += c.toString()));
    socket.on("error", () => {});
    await new Promise((r) => socket.on("close", r));
    expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes a connection that never starts the handshake", async () => {
    const l = await start({ tls, headersTimeoutMs: 300 });
    const { ms } = await rawExchange(l.port);
    expect(ms).toBeLessThan(2000);
  });
});

describe("HTTP/2 settings", () => {
  it("advertises a bounded number of concurrent streams per session", async () => {
    const l = await startListener({ host: "127.0.0.1", port: 0, handler: (_req, res) => res.end("ok") });
    try {
      const session = http2.connect(l.url);
      const settings = await new Promise<http2.Settings>((ok) => session.once("remoteSettings", ok));
      session.close();
      expect(settings.maxConcurrentStreams).toBe(1000);
    } finally {
      await l.close(100);
    }
  });
});
