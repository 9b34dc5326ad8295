// The one place where domain error kinds become Connect codes.
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
import { DomainError, type ErrorKind } from "../kernel/errors.ts";
import { describeError, type Logger } from "../logger.ts";

/**
 * Kinds map one to one onto the gRPC codes of the same meaning. The rest
 * (driver errors, bugs) become Internal with a fixed message: the cause goes
 * to the log, never to the client, so SQL, stacks and paths do not leak.
 */
const CODES: Record<ErrorKind, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  permission_denied: Code.PermissionDenied,
  failed_precondition: Code.FailedPrecondition,
  unauthenticated: Code.Unauthenticated,
  resource_exhausted: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
};

export function kindToCode(kind: ErrorKind): Code {
  return CODES[kind];
}

/**
 * Connect reports a request body it cannot decode as INTERNAL ("parse
 * binary: ..." for protobuf, "decompression failed" for a damaged gzip or
 * br body, a compressed flag on a request that names no encoding), as if the
 * server were at fault. The client sent it, so it is
 * INVALID_ARGUMENT, as connect-go answers. Takes the code and message as
 * they appear on the wire too, because unary requests are decoded before any
 * interceptor runs and the edge can only correct their response. Matched by
 * message since Connect gives these errors no other mark; if an upgrade
 * changes the wording, test/protocol/client-faults.test.ts fails.
 */
export function requestDecodeFault(code: Code, message: string): ConnectError | undefined {
  if (code !== Code.Internal) return undefined;
  if (message.startsWith(PARSE_BINARY)) {
    return new ConnectError(`request message is not valid protobuf: ${message.slice(PARSE_BINARY.length)}`, Code.InvalidArgument);
  }
  if (message === "decompression failed") return new ConnectError("request message could not be decompressed", Code.InvalidArgument);
  if (message === COMPRESSED_WITHOUT_ENCODING) {
    return new ConnectError("request message is marked compressed, but the request names no encoding", Code.InvalidArgument);
  }
  return undefined;
}
const PARSE_BINARY = "parse binary: ";
/** Connect's text (and the fast path's) for an envelope with the compressed flag and no grpc-encoding or connect-content-encoding. */
const COMPRESSED_WITHOUT_ENCODING = "received compressed envelope, but do not know how to decompress";

/**
 * A domain error as a ConnectError of its kind's code. A retry hint is given
 * three ways: in the message (people), as a retry-after header or trailer
 * (HTTP tooling), and as google.rpc.RetryInfo (gRPC clients that honour it).
 */
export function domainConnectError(err: DomainError, message = err.message, details: ConnectError["details"] = []): ConnectError {
  const s = err.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(err.retryAfterMs / 1000));
  const out = new ConnectError(message, CODES[err.kind], s === undefined ? undefined : { "retry-after": String(s) });
  out.details.push(...details);
  if (s !== undefined) out.details.push({ type: "google.rpc.RetryInfo", value: retryInfo(s) });
  return out;
}

/**
 * google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1 }, with
 * Duration { int64 seconds = 1 }, as encoded bytes: two tiny fields do not
 * warrant generated google.rpc types.
 */
function retryInfo(s: number): Uint8Array {
  const duration = new BinaryWriter().tag(1, WireType.Varint).int64(s).finish();
  return new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(duration).finish();
}

export function toConnectError(err: unknown, log: Logger, fields: Record<string, unknown>): ConnectError {
  if (err instanceof DomainError) return wellFormed(domainConnectError(err));
  if (err instanceof ConnectError) {
    // Connect's own protocol errors (bad input, limits, cancellation) are safe to pass on.
    if (err.code !== Code.Internal && err.code !== Code.Unknown) return wellFormed(err);
  }
  log.error("internal error", { ...fields, ...describeError(err) });
  return new ConnectError("internal error", Code.Internal);
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * gRPC sends the message percent-encoded as UTF-8, and a lone UTF-16
 * surrogate has no UTF-8: Connect's encoder throws on one, and the call
 * would end without a status. A message that quotes a client's value cut to
 * a length can hold one (the cut fell inside a 4-byte character); it is
 * replaced by U+FFFD, as a UTF-8 encoder would.
 */
function wellFormed(err: ConnectError): ConnectError {
  if (!LONE_SURROGATE.test(err.rawMessage)) return err;
  const message = err.rawMessage.replace(new RegExp(LONE_SURROGATE, "gu"), "\ufffd");
  const out = new ConnectError(message, err.code, err.metadata, undefined, err.cause);
  out.details.push(...err.details); // the ZITADEL dialect's ErrorDetail
  return out;
}
