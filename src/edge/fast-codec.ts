// What the fast path needs per route and protocol: the request parser and
// response serializer Connect itself would use (same limits, same error
// texts), and response compression negotiated the way Connect negotiates it.
import { create, isMessage, type DescMessage, type JsonReadOptions, type JsonWriteOptions } from "@bufbuild/protobuf";
import { compressionNegotiate, createMethodSerializationLookup, type Compression } from "@connectrpc/connect/protocol";
import type { UnaryRoute } from "../rpc/route.ts";

export interface CodecOptions {
  readMaxBytes: number;
  writeMaxBytes: number;
  /** Responses at least this long are compressed when the client accepts an encoding we offer. */
  compressMinBytes: number;
  acceptCompression: Compression[];
  jsonOptions?: Partial<JsonReadOptions & JsonWriteOptions>;
}

export interface RouteCodec {
  route: UnaryRoute;
  parse(binary: boolean, bytes: Uint8Array): unknown;
  serialize(binary: boolean, output: unknown): Uint8Array;
}

export function createRouteCodec(route: UnaryRoute, opts: CodecOptions): RouteCodec {
  const s = createMethodSerializationLookup(route.method, undefined, opts.jsonOptions, opts);
  const output: DescMessage = route.method.output;
  return {
    route,
    parse: (binary, bytes) => s.getI(binary).parse(bytes),
    serialize: (binary, out) => s.getO(binary).serialize(isMessage(out, output) ? out : create(output, out as never)),
  };
}

/** The compression for a response, from the client's accept header; null for none. */
export function responseCompression(opts: CodecOptions, accepted: string | undefined): Compression | null {
  if (accepted === undefined || opts.acceptCompression.length === 0) return null;
  return compressionNegotiate(opts.acceptCompression, null, accepted, "accept-encoding").response;
}
