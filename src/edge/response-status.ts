// What the edge corrects in the status Connect writes, for every protocol:
// grpc-message in the gRPC spec's encoding (see grpc-message.ts), and a
// request body Connect could not decode reported as INVALID_ARGUMENT, not
// INTERNAL (see requestDecodeFault). The decodeFaults interceptor does the
// latter for streaming calls; a unary request is decoded before any
// interceptor runs, so its response is the only place left to correct it.
// Having found the status, it reports it (for the access log and metrics):
// the code the client was sent, whatever failed where.
import { Code } from "@connectrpc/connect";
import type { UniversalServerResponse } from "@connectrpc/connect/protocol";
import { codeFromHttpStatus } from "@connectrpc/connect/protocol-connect";
import { codeFromConnectName } from "../observability/status-codes.ts";
import { requestDecodeFault } from "../rpc/error-mapper.ts";
import { mapFlaggedFrame } from "./envelope-frames.ts";
import { encodeGrpcMessage } from "./grpc-message.ts";
import { mapGrpcWebTrailer } from "./grpc-web-trailer.ts";

/** `report` gets the final gRPC status code, once it is known (for a stream, once its end is produced). */
export async function fixResponseStatus(res: UniversalServerResponse, report: (code: number) => void = () => {}): Promise<UniversalServerResponse> {
  const contentType = res.header?.get("content-type") ?? "";
  if (contentType.startsWith("application/grpc")) return fixGrpc(res, contentType.startsWith("application/grpc-web"), report);
  if (contentType.startsWith("application/connect+")) return reportConnectEndStream(res, report);
  if (res.status === 200) {
    report(0);
    return res;
  }
  if (contentType === "application/json") return fixConnectUnaryError(res, report);
  report(codeFromHttpStatus(res.status));
  return res;
}

/** gRPC carries the status in headers (trailers-only) or trailers; gRPC-web's trailers are the last body frame. */
function fixGrpc(res: UniversalServerResponse, web: boolean, report: (code: number) => void): UniversalServerResponse {
  const fix = (headers: Headers | undefined) => {
    fixGrpcStatus(headers);
    const status = headers?.get("grpc-status");
    if (status) report(Number(status));
  };
  fix(res.header);
  const body = res.body;
  if (!body) {
    fix(res.trailer);
    return res;
  }
  if (web) return { ...res, body: mapGrpcWebTrailer(body as AsyncIterable<Uint8Array>, fix) };
  // Trailers are filled in while the body streams: fix them once it has ended.
  async function* fixedBody() {
    yield* body!;
    fix(res.trailer);
  }
  return { ...res, body: fixedBody() };
}

/** Connect streams end with a JSON message, flag 0x02, that holds the error if there is one. */
function reportConnectEndStream(res: UniversalServerResponse, report: (code: number) => void): UniversalServerResponse {
  const body = res.body;
  if (!body || !(Symbol.asyncIterator in body)) return res;
  const read = (payload: Buffer) => {
    const error = parseJsonObject(payload)?.["error"] as Record<string, unknown> | undefined;
    report(error === undefined ? 0 : codeFromConnectName(error["code"]));
    return payload;
  };
  return { ...res, body: mapFlaggedFrame(body, 0x02, read) };
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
async function fixConnectUnaryError(res: UniversalServerResponse, report: (code: number) => void): Promise<UniversalServerResponse> {
  const body = res.body;
  if (!body || !(Symbol.asyncIterator in body) || res.header?.has("content-encoding")) {
    report(codeFromHttpStatus(res.status));
    return res;
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const error = parseJsonObject(bytes);
  const fault = error?.["code"] === "internal" && typeof error["message"] === "string" ? requestDecodeFault(Code.Internal, error["message"]) : undefined;
  report(fault ? fault.code : error ? codeFromConnectName(error["code"]) : codeFromHttpStatus(res.status));
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
