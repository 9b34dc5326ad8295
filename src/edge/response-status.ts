// What the edge corrects in the status Connect writes, for every protocol:
// grpc-message in the gRPC spec's encoding (see grpc-message.ts), and a
// request body Connect could not decode reported as INVALID_ARGUMENT, not
// INTERNAL (see requestDecodeFault). The decodeFaults interceptor does the
// latter for streaming calls; a unary request is decoded before any
// interceptor runs, so its response is the only place left to correct it.
import { Code } from "@connectrpc/connect";
import type { UniversalServerResponse } from "@connectrpc/connect/protocol";
import { requestDecodeFault } from "../rpc/error-mapper.ts";
import { encodeGrpcMessage } from "./grpc-message.ts";
import { mapGrpcWebTrailer } from "./grpc-web-trailer.ts";

export async function fixResponseStatus(res: UniversalServerResponse): Promise<UniversalServerResponse> {
  const contentType = res.header?.get("content-type") ?? "";
  if (contentType.startsWith("application/grpc")) return fixGrpc(res, contentType.startsWith("application/grpc-web"));
  if (res.status === 500 && contentType === "application/json") return fixConnectUnaryError(res);
  return res;
}

/** gRPC carries the status in headers (trailers-only) or trailers; gRPC-web's trailers are the last body frame. */
function fixGrpc(res: UniversalServerResponse, web: boolean): UniversalServerResponse {
  fixGrpcStatus(res.header);
  const body = res.body;
  if (!body) {
    fixGrpcStatus(res.trailer);
    return res;
  }
  if (web) return { ...res, body: mapGrpcWebTrailer(body, fixGrpcStatus) };
  // Trailers are filled in while the body streams: fix them once it has ended.
  async function* fixedBody() {
    yield* body!;
    fixGrpcStatus(res.trailer);
  }
  return { ...res, body: fixedBody() };
}

function fixGrpcStatus(headers: Headers | undefined): void {
  const encoded = headers?.get("grpc-message");
  if (!headers || !encoded) return;
  let message: string;
  try {
    message = decodeURIComponent(encoded);
  } catch {
    return; // not valid percent-encoding: leave it as the handler wrote it
  }
  const fault = requestDecodeFault(Number(headers.get("grpc-status")) as Code, message);
  if (fault) {
    headers.set("grpc-status", String(fault.code)); // gRPC status numbers equal Connect's Code values
    message = fault.rawMessage;
  }
  headers.set("grpc-message", encodeGrpcMessage(message));
}

/** A Connect unary error is one small JSON body with an HTTP status; a decode fault becomes 400 invalid_argument. */
async function fixConnectUnaryError(res: UniversalServerResponse): Promise<UniversalServerResponse> {
  const body = res.body;
  if (!body || !(Symbol.asyncIterator in body) || res.header?.has("content-encoding")) return res;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const error = parseJsonObject(bytes);
  const fault = error?.["code"] === "internal" && typeof error["message"] === "string" ? requestDecodeFault(Code.Internal, error["message"]) : undefined;
  if (!fault) return { ...res, body: once(bytes) };
  const fixed = Buffer.from(JSON.stringify({ ...error, code: "invalid_argument", message: fault.rawMessage }));
  const header = new Headers(res.header);
  header.set("content-length", String(fixed.length));
  return { ...res, status: 400, header, body: once(fixed) };
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(bytes.toString("utf8"));
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
