// grpc-message is percent-encoded, but the gRPC spec encodes only bytes
// outside printable ASCII and "%" itself. Connect encodes with
// encodeURIComponent (":" becomes "%3A"), and grpc-js decodes with decodeURI,
// which leaves reserved characters encoded: its users would read
// "project_id%3A is required". Re-encoding the spec's way reads right in
// every decoder.
import type { UniversalServerResponse } from "@connectrpc/connect/protocol";
import { mapGrpcWebTrailer } from "./grpc-web-trailer.ts";

export function encodeGrpcMessage(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

function reencode(headers: Headers | undefined): void {
  const value = headers?.get("grpc-message");
  if (!value) return;
  try {
    headers!.set("grpc-message", encodeGrpcMessage(decodeURIComponent(value)));
  } catch {
    // Not valid percent-encoding: leave it as the handler wrote it.
  }
}

/**
 * For gRPC and gRPC-web responses: fixes grpc-message in the headers and the
 * trailers, which gRPC-web sends as the last body frame.
 */
export function withSpecGrpcMessage(res: UniversalServerResponse): UniversalServerResponse {
  const contentType = res.header?.get("content-type") ?? "";
  if (!contentType.startsWith("application/grpc")) return res;
  reencode(res.header);
  const body = res.body;
  if (!body) {
    reencode(res.trailer);
    return res;
  }
  if (contentType.startsWith("application/grpc-web")) return { ...res, body: mapGrpcWebTrailer(body, reencode) };
  // Trailers are filled in while the body streams: fix them once it has ended.
  async function* fixedBody() {
    yield* body!;
    reencode(res.trailer);
  }
  return { ...res, body: fixedBody() };
}
