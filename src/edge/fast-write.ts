// Writes the one answer of a fast-path call. gRPC: headers, one message and
// trailers, or a Trailers-Only response for an error. gRPC-web: the message
// and a trailer frame in the body. Connect unary: the message with its
// content type, or the error JSON with the HTTP status the Connect protocol
// assigns to its code. The bytes of statuses, messages and error bodies come
// from Connect's own encoders, so they match the Connect path's.
import type { IncomingMessage, ServerResponse } from "node:http";
import { constants, type OutgoingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import { ConnectError } from "@connectrpc/connect";
import { codeToHttpStatus, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { encodeGrpcMessage } from "./grpc-message.ts";
import { responseCompression, type CodecOptions } from "./fast-codec.ts";
import type { FastCall } from "./fast-path.ts";

export type Result = Uint8Array | ConnectError;

/** Where a whole answer goes: an HTTP/2 stream or an HTTP/1.1 response. */
export interface Sink {
  send(status: number, headers: OutgoingHttpHeaders, body: Uint8Array): void;
}

/** A stream the client already reset takes no more frames. */
const writable = (stream: ServerHttp2Stream) => !stream.destroyed && !stream.closed;

/**
 * Answered before the request body was read: tell the client to stop sending
 * (RST_STREAM NO_ERROR) once the answer is out, so the stream's flow-control
 * window does not stay occupied. Queued after Node's own trailer write.
 */
function stopReading(stream: ServerHttp2Stream, early: boolean): void {
  if (!early) return;
  setImmediate(() => {
    if (writable(stream) && stream.state.remoteClose === 0) stream.close(constants.NGHTTP2_NO_ERROR);
  });
}

export function http2Sink(stream: ServerHttp2Stream, early: boolean): Sink {
  return {
    send(status, headers, body) {
      if (!writable(stream)) return;
      stream.respond({ ":status": status, ...headers, "content-length": body.byteLength });
      stream.end(body);
      stopReading(stream, early);
    },
  };
}

/**
 * HTTP/1.1 cannot stop one request's body: answered before it was read, the
 * connection closes after the answer rather than carry unread bytes into the
 * next request.
 */
export function http1Sink(req: IncomingMessage, res: ServerResponse, early: boolean): Sink {
  return {
    send(status, headers, body) {
      if (res.destroyed || res.headersSent) return;
      if (early && !req.complete) res.shouldKeepAlive = false;
      res.writeHead(status, { ...headers, "content-length": body.byteLength });
      res.end(body);
    },
  };
}

/** grpc-status, grpc-message (the spec's percent-encoding) and grpc-status-details-bin, in name order. */
function grpcStatus(err: ConnectError | undefined): [string, string][] {
  const out: [string, string][] = [];
  setTrailerStatus(new Headers(), err).forEach((value, key) => {
    out.push([key, key === "grpc-message" ? encodeGrpcMessage(err!.rawMessage) : value]);
  });
  return out;
}

/** The message as one envelope, compressed when it is large and the client accepts an encoding. */
async function messageEnvelope(message: Uint8Array, call: FastCall, opts: CodecOptions, headers: OutgoingHttpHeaders) {
  const compression = message.byteLength >= opts.compressMinBytes ? responseCompression(opts, call.accept) : null;
  let flag = 0;
  if (compression) {
    message = await compression.compress(message);
    headers["grpc-encoding"] = compression.name;
    flag = 1;
  }
  return envelope(flag, message);
}

function envelope(flag: number, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + data.byteLength);
  out[0] = flag;
  out.writeUInt32BE(data.byteLength, 1);
  out.set(data, 5);
  return out;
}

export async function writeGrpc(stream: ServerHttp2Stream, call: FastCall, result: Result, opts: CodecOptions, early: boolean) {
  const headers: OutgoingHttpHeaders = { "content-type": call.binary ? "application/grpc+proto" : "application/grpc+json", "x-request-id": call.requestId };
  if (result instanceof ConnectError) {
    if (!writable(stream)) return;
    stream.respond({ ":status": 200, ...headers, ...Object.fromEntries(grpcStatus(result)) }, { endStream: true });
    return stopReading(stream, early);
  }
  const body = await messageEnvelope(result, call, opts, headers);
  if (!writable(stream)) return;
  stream.respond({ ":status": 200, ...headers }, { waitForTrailers: true });
  stream.once("wantTrailers", () => {
    if (writable(stream)) stream.sendTrailers({ "grpc-status": "0" });
  });
  stream.end(body);
}

/** gRPC-web: the message (none for an error), then the status as a trailer frame (flag 0x80). */
export async function writeGrpcWeb(sink: Sink, call: FastCall, result: Result, opts: CodecOptions) {
  const headers: OutgoingHttpHeaders = {
    "content-type": call.binary ? "application/grpc-web+proto" : "application/grpc-web+json",
    "x-request-id": call.requestId,
  };
  const error = result instanceof ConnectError ? result : undefined;
  const message = error ? Buffer.alloc(0) : await messageEnvelope(result as Uint8Array, call, opts, headers);
  const trailer = Buffer.from(grpcStatus(error).map(([k, v]) => `${k}: ${v}\r\n`).join(""), "latin1");
  sink.send(200, headers, Buffer.concat([message, envelope(0x80, trailer)]));
}

export async function writeConnect(sink: Sink, call: FastCall, result: Result, opts: CodecOptions) {
  if (result instanceof ConnectError) {
    const body = errorToJsonBytes(result, opts.jsonOptions ?? {});
    // The error's metadata (retry-after) goes out as headers, as Connect's own handler sends it.
    const metadata = Object.fromEntries(result.metadata);
    return sink.send(codeToHttpStatus(result.code), { ...metadata, "x-request-id": call.requestId, "content-type": "application/json" }, body);
  }
  const headers: OutgoingHttpHeaders = { "x-request-id": call.requestId, "content-type": call.binary ? "application/proto" : "application/json" };
  let body = result;
  const compression = result.byteLength >= opts.compressMinBytes ? responseCompression(opts, call.accept) : null;
  if (compression) {
    body = await compression.compress(result);
    headers["content-encoding"] = compression.name;
  }
  sink.send(200, headers, body);
}
