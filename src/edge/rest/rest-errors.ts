// How a failed REST call is answered: the HTTP status grpc-gateway maps from
// the gRPC code, and grpc-gateway's error body, google.rpc.Status in proto3
// JSON: {"code": <gRPC code number>, "message": "...", "details": [Any...]}.
// ZITADEL's gateway answers the same shape, its details holding a
// zitadel.v1.ErrorDetail; the route's dialect already put that detail on
// the error, so one writer serves both APIs.
import { create, toJson, type JsonObject, type JsonWriteOptions } from "@bufbuild/protobuf";
import { Code, type ConnectError } from "@connectrpc/connect";

/** grpc-gateway's runtime.HTTPStatusFromCode. */
const HTTP_STATUS: Record<Code, number> = {
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 400,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

export const httpStatusOf = (code: Code): number => HTTP_STATUS[code] ?? 500;

/**
 * The details of a ConnectError as google.protobuf.Any in JSON. Details this
 * server attaches carry their schema and are written out; details held only
 * as bytes (google.rpc.RetryInfo, whose delay the retry-after header also
 * gives) have no schema here and are left out rather than guessed at.
 */
function detailsJson(err: ConnectError, json: Partial<JsonWriteOptions>): JsonObject[] {
  const out: JsonObject[] = [];
  for (const d of err.details) {
    if (!("desc" in d)) continue;
    const body = toJson(d.desc, create(d.desc, d.value), json) as JsonObject;
    out.push({ "@type": `type.googleapis.com/${d.desc.typeName}`, ...body });
  }
  return out;
}

export interface RestError {
  status: number;
  headers: [string, string][];
  body: JsonObject;
}

/** The answer to a failed call: status, headers the error carries (retry-after), and the Status body. */
export function restError(err: ConnectError, json: Partial<JsonWriteOptions>): RestError {
  const headers: [string, string][] = [];
  err.metadata.forEach((value, name) => void headers.push([name, value]));
  return {
    status: httpStatusOf(err.code),
    headers,
    body: { code: err.code, message: err.rawMessage, details: detailsJson(err, json) },
  };
}
