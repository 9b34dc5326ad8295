// Unary calls as grpc-web-text, the default mode of Google's grpc-web browser
// client: base64 bodies of 5-byte-framed messages, with the trailers as a
// final frame (flag 0x80) or, for a trailers-only answer, in HTTP headers.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor, type Transport } from "@connectrpc/connect";
import { rawPost, toHeaders, unaryOnly, unaryVia } from "./raw-json-transport.ts";

export interface GrpcWebFrames {
  messages: Uint8Array[];
  trailer: Headers;
}

export function frame(flags: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(flags, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** Decodes base64 that may be several padded runs back to back, as when a server encodes each frame on its own. */
export function decodeBase64Runs(text: string): Buffer {
  const runs = text.replace(/\s+/g, "").match(/[^=]+=*/g) ?? [];
  return Buffer.concat(runs.map((r) => Buffer.from(r, "base64")));
}

export function parseFrames(bytes: Buffer): GrpcWebFrames {
  const messages: Uint8Array[] = [];
  const trailer = new Headers();
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 5) throw new ConnectError("truncated grpc-web frame header", Code.Internal);
    const flags = bytes.readUInt8(at);
    const len = bytes.readUInt32BE(at + 1);
    const payload = bytes.subarray(at + 5, at + 5 + len);
    if (payload.length !== len) throw new ConnectError("truncated grpc-web frame", Code.Internal);
    at += 5 + len;
    if ((flags & 0x80) === 0) {
      messages.push(payload);
      continue;
    }
    for (const line of payload.toString("utf8").split("\r\n")) {
      const i = line.indexOf(":");
      if (i > 0) trailer.append(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
  }
  return { messages, trailer };
}

/** grpc-status from the trailer frame, else from the HTTP headers (trailers-only); null when neither has it. */
export function statusError(trailer: Headers, headers: Headers): ConnectError | null {
  const source = trailer.has("grpc-status") ? trailer : headers;
  const status = source.get("grpc-status");
  if (status === null) return new ConnectError("missing grpc-status", Code.Internal);
  const code = Number(status);
  if (code === 0) return null;
  const message = decodeURIComponent(source.get("grpc-message") ?? "");
  return new ConnectError(message, code >= 1 && code <= 16 ? (code as Code) : Code.Unknown, headers);
}

export function createRawGrpcWebTextTransport(baseUrl: string, opts: { interceptors?: Interceptor[] } = {}): Transport {
  return {
    unary: unaryVia(baseUrl, async (req) => {
      const { method } = req;
      const headers: Record<string, string> = { "content-type": "application/grpc-web-text", "x-grpc-web": "1" };
      req.header.forEach((v, k) => (headers[k] = v));
      const body = frame(0, toBinary(method.input, req.message)).toString("base64");
      const res = await rawPost(baseUrl, `/${method.parent.typeName}/${method.name}`, body, headers);
      const header = toHeaders(res.headers);
      if (res.status !== 200) throw new ConnectError(`HTTP ${res.status}`, Code.Unknown, header);
      const { messages, trailer } = parseFrames(decodeBase64Runs(res.body));
      const err = statusError(trailer, header);
      if (err) throw err;
      if (messages.length !== 1) throw new ConnectError(`expected 1 message, got ${messages.length}`, Code.Internal);
      return { stream: false, service: method.parent, method, header, trailer, message: fromBinary(method.output, messages[0]!) };
    }, opts.interceptors),
    stream: unaryOnly("raw grpc-web-text transport"),
  };
}
