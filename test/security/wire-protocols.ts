// The protocol matrix as raw bytes: for each way a client reaches the server,
// the content type, how a message is framed on the wire, and how an answer
// (whatever shape it takes) is read back into one outcome code. The fuzzer
// sends through these with node:http / node:http2 and nothing of Connect's
// client code, so a malformed request reaches the server exactly as built.
import { codeToString } from "@connectrpc/connect/protocol-connect";
import type { Exchange } from "../helpers/raw-exchange.ts";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { decodeBase64Runs, frame } from "../helpers/raw-grpc-web-text-transport.ts";

export type Family = "grpc" | "grpc-web" | "grpc-web-text" | "connect";

export interface WireProtocol {
  name: string;
  http: 1 | 2;
  family: Family;
  /** JSON rather than protobuf messages. */
  json: boolean;
}

export const WIRE_PROTOCOLS: readonly WireProtocol[] = [
  { name: "grpc proto h2", http: 2, family: "grpc", json: false },
  { name: "grpc json h2", http: 2, family: "grpc", json: true },
  { name: "grpc-web proto http/1.1", http: 1, family: "grpc-web", json: false },
  { name: "grpc-web proto h2", http: 2, family: "grpc-web", json: false },
  { name: "grpc-web json http/1.1", http: 1, family: "grpc-web", json: true },
  { name: "grpc-web-text http/1.1", http: 1, family: "grpc-web-text", json: false },
  { name: "grpc-web-text h2", http: 2, family: "grpc-web-text", json: false },
  { name: "connect json http/1.1", http: 1, family: "connect", json: true },
  { name: "connect json h2", http: 2, family: "connect", json: true },
  { name: "connect proto http/1.1", http: 1, family: "connect", json: false },
  { name: "connect proto h2", http: 2, family: "connect", json: false },
];

const codec = (p: WireProtocol) => (p.json ? "json" : "proto");

/** The content type a well-behaved client sends; Connect streams are enveloped and say so. */
export function contentTypeOf(p: WireProtocol, streaming: boolean): string {
  switch (p.family) {
    case "grpc":
      return `application/grpc+${codec(p)}`;
    case "grpc-web":
      return `application/grpc-web+${codec(p)}`;
    case "grpc-web-text":
      return "application/grpc-web-text";
    case "connect":
      return streaming ? `application/connect+${codec(p)}` : `application/${codec(p)}`;
  }
}

/** Whether a message goes in a 5-byte envelope (everything but Connect unary). */
export const enveloped = (p: WireProtocol, streaming: boolean) => p.family !== "connect" || streaming;

/** The headers every call of the protocol carries besides the content type. */
export function protocolHeaders(p: WireProtocol): Record<string, string> {
  if (p.family === "grpc") return { te: "trailers" };
  if (p.family === "connect") return { "connect-protocol-version": "1" };
  return { "x-grpc-web": "1" };
}

/** The request body of a well-formed call carrying `message`. */
export function wellFramed(p: WireProtocol, streaming: boolean, message: Uint8Array): Buffer {
  if (!enveloped(p, streaming)) return Buffer.from(message);
  const framed = frame(0, message);
  return p.family === "grpc-web-text" ? Buffer.from(framed.toString("base64")) : framed;
}

/** How a call ended, as the client sees it. */
export interface Outcome {
  /** "ok", a Connect code name ("invalid_argument"), "http_<status>" when no protocol status came, or "stream_open". */
  code: string;
  message: string;
  httpStatus: number;
}

const grpcCode = (status: string) => (status === "0" ? "ok" : codeToString(Number(status)));

/**
 * Reads an answer of any shape, by what the server sent rather than what was
 * asked (the fuzzer changes content types and encodings): a gRPC status in
 * trailers or headers, a grpc-web trailer frame, a Connect end-stream
 * message or error body, each decompressed as its headers say; else the
 * HTTP status.
 */
export function outcomeOf(ex: Exchange): Outcome {
  const httpStatus = ex.status;
  const type = (ex.headers["content-type"] ?? "").toLowerCase();
  const statusFrom = (h: Record<string, string>) =>
    h["grpc-status"] === undefined ? undefined : { code: grpcCode(h["grpc-status"]), message: decodeGrpcMessage(h["grpc-message"] ?? ""), httpStatus };
  const grpc = statusFrom(ex.trailers) ?? statusFrom(ex.headers);
  if (grpc) return grpc;
  if (type.startsWith("application/grpc-web")) {
    const body = type.startsWith("application/grpc-web-text") ? decodeBase64Runs(ex.body.toString("latin1")) : ex.body;
    const trailer = lastFrame(body, 0x80, ex.headers["grpc-encoding"]);
    return (trailer && statusFrom(headerLines(trailer))) ?? orHttp(ex);
  }
  if (type.startsWith("application/connect+") && httpStatus === 200) {
    const end = lastFrame(ex.body, 0x02, ex.headers["connect-content-encoding"]);
    const err = end && safely(() => (JSON.parse(end.toString("utf8")) as { error?: { code: string; message?: string } }).error);
    if (end === undefined) return orHttp(ex);
    return err ? { code: err.code, message: err.message ?? "", httpStatus } : { code: "ok", message: "", httpStatus };
  }
  if (httpStatus === 200 && !type.startsWith("application/grpc")) return { code: "ok", message: "", httpStatus };
  const body = safely(() => decompress(ex.headers["content-encoding"], ex.body));
  const json = body && safely(() => JSON.parse(body.toString("utf8")) as { code?: unknown; message?: unknown });
  if (json && typeof json.code === "string") return { code: json.code, message: String(json.message ?? ""), httpStatus };
  return orHttp(ex);
}

function orHttp(ex: Exchange): Outcome {
  // A stream may hold back even its headers until it has a message to send.
  const code = ex.canceled && (ex.status === 200 || ex.status === 0) ? "stream_open" : `http_${ex.status}`;
  return { code, message: ex.body.subarray(0, 200).toString("utf8"), httpStatus: ex.status };
}

/** The payload of the last envelope whose flags carry `flag`, decompressed when flagged so (0x01). */
function lastFrame(body: Buffer, flag: number, encoding: string | undefined): Buffer | undefined {
  let found: Buffer | undefined;
  for (let at = 0; at + 5 <= body.length; at += 5 + body.readUInt32BE(at + 1)) {
    const flags = body[at]!;
    const payload = body.subarray(at + 5, at + 5 + body.readUInt32BE(at + 1));
    if (flags & flag) found = safely(() => (flags & 0x01 ? decompress(encoding, payload) : payload));
  }
  return found;
}

function decompress(encoding: string | undefined, bytes: Buffer): Buffer {
  if (encoding === "gzip") return gunzipSync(bytes);
  if (encoding === "br") return brotliDecompressSync(bytes);
  return bytes;
}

/** grpc-web trailers: "name: value" lines. */
function headerLines(text: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.toString("utf8").split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function decodeGrpcMessage(m: string): string {
  return safely(() => decodeURIComponent(m)) ?? m;
}

function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
