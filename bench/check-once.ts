// Sends one request of a case and says what is wrong with the answer, if
// anything: h2load counts any HTTP 200 as success, and a gRPC error is an
// HTTP 200 with grpc-status in the trailers (or, for gRPC-web, in the body).
import * as http from "node:http";
import * as http2 from "node:http2";
import type { Protocol, WireRequest } from "./requests.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  trailers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function viaHttp2(url: string, r: WireRequest, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": r.path, ...headers });
    const a: Answer = { status: 0, headers: {}, trailers: {}, body: Buffer.alloc(0) };
    const chunks: Buffer[] = [];
    stream.on("response", (h) => ((a.status = Number(h[":status"])), (a.headers = h)));
    stream.on("trailers", (t) => (a.trailers = t));
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("close", () => {
      session.close();
      resolve({ ...a, body: Buffer.concat(chunks) });
    });
    stream.end(r.body);
  });
}

function viaHttp1(url: string, r: WireRequest, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + r.path, { method: "POST", headers: { ...headers, "content-length": r.body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(r.body);
  });
}

/** The trailer frame of a gRPC-web body (flag 0x80) as a header map. */
function grpcWebTrailers(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (let at = 0; at + 5 <= body.length; ) {
    const len = body.readUInt32BE(at + 1);
    if (body[at]! & 0x80) {
      for (const line of body.subarray(at + 5, at + 5 + len).toString("latin1").split("\r\n")) {
        const i = line.indexOf(":");
        if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
    }
    at += 5 + len;
  }
  return out;
}

/** "" when the call succeeded, else what went wrong. */
export async function checkOnce(url: string, p: Protocol, r: WireRequest, headers: Record<string, string>): Promise<string> {
  const a = await (p.http1 ? viaHttp1 : viaHttp2)(url, r, headers);
  if (a.status !== 200) return `HTTP ${a.status}: ${a.body.toString("utf8").slice(0, 300)}`;
  const type = p.headers["content-type"]!;
  if (!type.startsWith("application/grpc")) return "";
  const t = type.startsWith("application/grpc-web") ? grpcWebTrailers(a.body) : { ...a.headers, ...a.trailers };
  const status = String(t["grpc-status"] ?? "missing");
  return status === "0" ? "" : `grpc-status ${status}: ${decodeURIComponent(String(t["grpc-message"] ?? ""))}`;
}
