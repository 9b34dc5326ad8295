// grpc-message is percent-encoded, but the gRPC spec encodes only bytes
// outside printable ASCII and "%" itself. Connect encodes with
// encodeURIComponent (":" becomes "%3A"), and grpc-js decodes with decodeURI,
// which leaves reserved characters encoded: its users would read
// "project_id%3A is required". Re-encoding the spec's way reads right in
// every decoder; the edge does it for every response (response-status.ts).

export function encodeGrpcMessage(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}
