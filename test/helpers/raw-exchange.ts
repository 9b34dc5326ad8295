// One request over a raw HTTP/1.1 or HTTP/2 connection, with everything the
// server sent: status, headers, trailers (HTTP/2), and whether the answer was
// a Trailers-Only response. The body can be held back, or cut off with a reset.
import * as http from "node:http";
import * as http2 from "node:http2";

export interface Exchange {
  status: number;
  headers: Record<string, string>;
  trailers: Record<string, string>;
  body: Buffer;
  /** HTTP/2: the response was a single HEADERS frame that ended the stream. */
  trailersOnly: boolean;
  /** The client gave up after cancelAfterMs with the response still open (a stream that keeps going); status 0 if no headers came. */
  canceled?: boolean;
}

export interface ExchangeOptions {
  http: 1 | 2;
  path: string;
  headers: Record<string, string>;
  body: Buffer | string;
  /** Send the headers, wait this long, then the body. */
  bodyDelayMs?: number;
  /** Send the body but never end the request (HTTP/2): the server must answer without the rest. */
  holdOpen?: boolean;
  /** Cancel a call still open after this long, resolving with what arrived (for streams that never end). */
  cancelAfterMs?: number;
}

const flat = (h: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(h).filter(([k]) => !k.startsWith(":") || k === ":status").map(([k, v]) => [k, String(v)]));

export function exchange(baseUrl: string, o: ExchangeOptions): Promise<Exchange> {
  return o.http === 2 ? exchange2(baseUrl, o) : exchange1(baseUrl, o);
}

function exchange2(baseUrl: string, o: ExchangeOptions): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request({ ":method": "POST", ":path": o.path, ...o.headers });
    } catch (err) {
      // A header the HTTP/2 client itself refuses: nothing was sent.
      session.close();
      return reject(err);
    }
    const chunks: Buffer[] = [];
    let headers: Record<string, string> = {};
    let trailers: Record<string, string> = {};
    let trailersOnly = false;
    let canceled = false;
    const timer = o.cancelAfterMs === undefined ? undefined : setTimeout(() => {
      canceled = true;
      stream.close(http2.constants.NGHTTP2_CANCEL);
    }, o.cancelAfterMs);
    stream.on("response", (h, flags) => {
      headers = flat(h);
      trailersOnly = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
    });
    stream.on("trailers", (t) => (trailers = flat(t)));
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", () => {});
    stream.on("close", () => {
      clearTimeout(timer);
      session.close();
      if (canceled && headers[":status"] === undefined) return resolve({ status: 0, headers, trailers, body: Buffer.alloc(0), trailersOnly, canceled });
      if (headers[":status"] === undefined) return reject(new Error(`no response, rst code ${stream.rstCode}`));
      resolve({ status: Number(headers[":status"]), headers, trailers, body: Buffer.concat(chunks), trailersOnly, canceled });
    });
    if (o.holdOpen) stream.write(o.body);
    else if (o.bodyDelayMs === undefined) stream.end(o.body);
    else setTimeout(() => !stream.destroyed && stream.end(o.body), o.bodyDelayMs);
  });
}

function exchange1(baseUrl: string, o: ExchangeOptions): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    let answer: (() => void) | undefined;
    const req = http.request(baseUrl + o.path, { method: "POST", headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = (canceled: boolean) => {
        clearTimeout(timer);
        const trailers = flat(res.trailers); // HTTP/1.1 trailers of a chunked answer (gRPC over HTTP/1.1)
        resolve({ status: res.statusCode ?? 0, headers: flat(res.headers), trailers, body: Buffer.concat(chunks), trailersOnly: false, canceled });
      };
      answer = () => done(true);
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done(false));
    });
    const timer = o.cancelAfterMs === undefined ? undefined : setTimeout(() => {
      if (answer) answer();
      else resolve({ status: 0, headers: {}, trailers: {}, body: Buffer.alloc(0), trailersOnly: false, canceled: true });
      req.destroy();
    }, o.cancelAfterMs);
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    if (o.bodyDelayMs === undefined) req.end(o.body);
    else {
      req.flushHeaders();
      setTimeout(() => req.end(o.body), o.bodyDelayMs);
    }
  });
}

/** A gRPC length-prefixed message. */
export function envelope(bytes: Uint8Array, flags = 0): Buffer {
  const out = Buffer.alloc(5 + bytes.byteLength);
  out[0] = flags;
  out.writeUInt32BE(bytes.byteLength, 1);
  out.set(bytes, 5);
  return out;
}
