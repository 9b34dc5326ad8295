// Small raw clients, so tests see exactly what goes over the wire.
import * as http from "node:http";
import * as http2 from "node:http2";
import { afterEach } from "vitest";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP/1.1 request on a fresh connection. */
export function h1Request(
  url: string,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url + (opts.path ?? "/"),
      { method: opts.method ?? "GET", headers: opts.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** One HTTP/2 request on a fresh session (h2c prior knowledge for http:// URLs). */
export function h2Request(
  url: string,
  headers: http2.OutgoingHttpHeaders,
  body?: string | Buffer,
  connectOpts: http2.SecureClientSessionOptions = {},
): Promise<RawResponse & { alpn: string | undefined }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url, connectOpts);
    session.on("error", reject);
    const stream = session.request({ ":method": "GET", ...headers });
    const chunks: Buffer[] = [];
    let resHeaders: http2.IncomingHttpHeaders = {};
    stream.on("response", (h) => (resHeaders = h));
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("close", () => reject(new Error(`stream closed, rst code ${stream.rstCode}`)));
    stream.on("end", () => {
      if (resHeaders[":status"] === undefined) return reject(new Error("no response headers"));
      const alpn = session.alpnProtocol;
      session.close();
      resolve({ status: Number(resHeaders[":status"]), headers: resHeaders, body: Buffer.concat(chunks), alpn });
    });
    stream.end(body);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until cond holds; server-side socket 'close' events can trail the client's by a tick. */
export async function until(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error("condition not met in time");
    await sleep(10);
  }
}

/** Registers an afterEach that closes every listener the test passed to the returned function. */
export function closeAfterEach(): <T extends { close(graceMs?: number): Promise<void> }>(listener: T) => T {
  const open: { close(graceMs?: number): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close(100)));
  });
  return (listener) => {
    open.push(listener);
    return listener;
  };
}
