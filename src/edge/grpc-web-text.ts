// connect-node answers grpc-web-text (base64 bodies, the default mode of
// Google's grpc-web browser client) with 415, so the edge translates it to
// binary grpc-web and back. grpc-web carries trailers as a body frame, so the
// body translation covers them too.
import { Code, ConnectError } from "@connectrpc/connect";
import type { UniversalServerRequest, UniversalServerResponse } from "@connectrpc/connect/protocol";

const binaryContentType = "application/grpc-web+proto";

/** True for application/grpc-web-text and application/grpc-web-text+proto, ignoring parameters and case. */
export function isGrpcWebText(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = (contentType.split(";", 1)[0] ?? "").trim().toLowerCase();
  return mediaType === "application/grpc-web-text" || mediaType === "application/grpc-web-text+proto";
}

/** Rewrites a universal request: content-type -> application/grpc-web+proto, body -> base64-decoded stream. */
export function decodeGrpcWebTextRequest(req: UniversalServerRequest): UniversalServerRequest {
  const header = new Headers(req.header);
  header.set("content-type", binaryContentType);
  header.delete("content-length");
  return { ...req, header, body: decodeBase64Stream(req.body) };
}

/** Rewrites a universal response: content-type -> the request's grpc-web-text content-type, body -> base64-encoded stream. */
export function encodeGrpcWebTextResponse(res: UniversalServerResponse, contentType: string): UniversalServerResponse {
  const header = new Headers(res.header);
  header.set("content-type", contentType);
  header.delete("content-length");
  return res.body === undefined ? { ...res, header } : { ...res, header, body: encodeBase64Stream(res.body) };
}

// Sextet value per ASCII code; -1 for characters outside the alphabet.
const sextet = new Int8Array(128).fill(-1);
for (const [i, c] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].entries()) {
  sextet[c.charCodeAt(0)] = i;
}
const pad = 0x3d; // "="

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c;
}

function invalid(problem: string): ConnectError {
  return new ConnectError(`invalid grpc-web-text request body: ${problem}`, Code.InvalidArgument);
}

/**
 * Decodes complete 4-character groups as they arrive. A padded group ends a
 * base64 run and the next group starts a new one, which is what clients that
 * encode each message separately send.
 */
async function* decodeBase64Stream(body: unknown): AsyncGenerator<Uint8Array> {
  if (!isAsyncIterable(body)) throw invalid("not a byte stream");
  const group = [0, 0, 0, 0];
  let filled = 0; // characters of the current group seen
  let pads = 0; // "=" seen in the current group
  let offset = 0; // position in the whole body, for error messages
  for await (const chunk of body) {
    const out = new Uint8Array(Math.ceil(chunk.length / 4) * 3 + 3);
    let o = 0;
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i] as number;
      if (isWhitespace(b)) continue;
      if (b === pad) {
        if (filled < 2) throw invalid(`misplaced "=" at offset ${offset}`);
        pads++;
        group[filled++] = 0;
      } else {
        const v = b < 128 ? (sextet[b] as number) : -1;
        if (v < 0) throw invalid(`unexpected byte 0x${b.toString(16).padStart(2, "0")} at offset ${offset}`);
        if (pads > 0) throw invalid(`data after "=" at offset ${offset}`);
        group[filled++] = v;
      }
      if (filled === 4) {
        o = writeGroup(group, 3 - pads, out, o);
        filled = 0;
        pads = 0;
      }
    }
    if (o > 0) yield out.subarray(0, o);
  }
  if (filled === 1) throw invalid("truncated base64 at end of body");
  if (filled > 1) {
    // Missing final padding is unambiguous, so it is accepted.
    const out = new Uint8Array(2);
    yield out.subarray(0, writeGroup(group, filled - 1 - pads, out, 0));
  }
}

function writeGroup(g: number[], bytes: number, out: Uint8Array, o: number): number {
  const n = ((g[0] as number) << 18) | ((g[1] as number) << 12) | ((g[2] as number) << 6) | (g[3] as number);
  out[o++] = n >> 16;
  if (bytes > 1) out[o++] = (n >> 8) & 0xff;
  if (bytes > 2) out[o++] = n & 0xff;
  return o;
}

/**
 * Encodes each chunk on its own, padding included, and sends it at once.
 * Holding back a remainder to keep one unbroken base64 text would delay the
 * end of a stream message until the next one is produced, which for a quiet
 * change stream can be hours; clients decode padded runs back to back (as
 * other grpc-web proxies emit them, and as decodeBase64Stream accepts).
 */
async function* encodeBase64Stream(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    if (chunk.length === 0) continue;
    yield Buffer.from(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("base64"), "latin1");
  }
}

function isAsyncIterable(v: unknown): v is AsyncIterable<Uint8Array> {
  return typeof v === "object" && v !== null && Symbol.asyncIterator in v;
}
