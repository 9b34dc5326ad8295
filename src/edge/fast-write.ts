// Writes the one answer of a fast-path call. gRPC: headers, one message and
// trailers, or a Trailers-Only response for an error. Connect unary: the
// message with its content type, or the error JSON with the HTTP status the
// Connect protocol assigns to its code. The bytes of statuses, messages and
// error bodies come from Connect's own encoders, so they match the Connect
// path's.
import type { IncomingMessage, ServerResponse } from "node:http";
import { constants, type OutgoingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import { ConnectError } from "@connectrpc/connect";
import { codeToHttpStatus, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { encodeGrpcMessage } from "../transport/grpc-message.ts";
import { responseCompression, type CodecOptions } from "./fast-codec.ts";
import type { FastCall } from "./fast-path.ts";

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

/** grpc-status, grpc-message (the spec's percent-encoding) and grpc-status-details-bin of an error. */
function grpcStatus(err: ConnectError): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  setTrailerStatus(new Headers(), err).forEach((value, key) => {
    out[key] = key === "grpc-message" ? encodeGrpcMessage(err.rawMessage) : value;
  });
  return out;
}

export async function writeGrpc(stream: ServerHttp2Stream, call: FastCall, result: Uint8Array | ConnectError, opts: CodecOptions, early: boolean) {
  const contentType = call.binary ? "application/grpc+proto" : "application/grpc+json";
  if (result instanceof ConnectError) {
    if (!writable(stream)) return;
    stream.respond({ ":status": 200, "content-type": contentType, "x-request-id": call.requestId, ...grpcStatus(result) }, { endStream: true });
    return stopReading(stream, early);
  }
  const headers: OutgoingHttpHeaders = { ":status": 200, "content-type": contentType, "x-request-id": call.requestId };
  let flag = 0;
  let message = result;
  const compression = result.byteLength >= opts.compressMinBytes ? responseCompression(opts, call.accept) : null;
  if (compression) {
    message = await compression.compress(result);
    headers["grpc-encoding"] = compression.name;
    flag = 1;
  }
  if (!writable(stream)) return;
  const envelope = Buffer.allocUnsafe(5 + message.byteLength);
  envelope[0] = flag;
  envelope.writeUInt32BE(message.byteLength, 1);
  envelope.set(message, 5);
  stream.respond(headers, { waitForTrailers: true });
  stream.once("wantTrailers", () => {
    if (writable(stream)) stream.sendTrailers({ "grpc-status": "0" });
  });
  stream.end(envelope);
}

/** Status, headers and body of a Connect unary answer. */
async function connectAnswer(call: FastCall, result: Uint8Array | ConnectError, opts: CodecOptions) {
  if (result instanceof ConnectError) {
    const body = errorToJsonBytes(result, opts.jsonOptions ?? {});
    return { status: codeToHttpStatus(result.code), headers: { "content-type": "application/json" } as OutgoingHttpHeaders, body };
  }
  const headers: OutgoingHttpHeaders = { "content-type": call.binary ? "application/proto" : "application/json" };
  let body = result;
  const compression = result.byteLength >= opts.compressMinBytes ? responseCompression(opts, call.accept) : null;
  if (compression) {
    body = await compression.compress(result);
    headers["content-encoding"] = compression.name;
  }
  return { status: 200, headers, body };
}

export async function writeConnectHttp2(stream: ServerHttp2Stream, call: FastCall, result: Uint8Array | ConnectError, opts: CodecOptions, early: boolean) {
  const { status, headers, body } = await connectAnswer(call, result, opts);
  if (!writable(stream)) return;
  stream.respond({ ":status": status, "x-request-id": call.requestId, "content-length": body.byteLength, ...headers });
  stream.end(body);
  stopReading(stream, early);
}

/**
 * HTTP/1.1 cannot stop one request's body: answered before it was read, the
 * connection closes after the answer rather than carry unread bytes into the
 * next request.
 */
export async function writeConnectHttp1(
  req: IncomingMessage,
  res: ServerResponse,
  call: FastCall,
  result: Uint8Array | ConnectError,
  opts: CodecOptions,
  early: boolean,
) {
  const { status, headers, body } = await connectAnswer(call, result, opts);
  if (res.destroyed || res.headersSent) return;
  if (early && !req.complete) res.shouldKeepAlive = false;
  res.writeHead(status, { "x-request-id": call.requestId, "content-length": body.byteLength, ...headers });
  res.end(body);
}
