// Infisical's error body, {reqId, statusCode, message, error}, with the
// status and error name its server gives each kind of failure: BadRequest
// (400), UnauthorizedError (401), PermissionDenied (403), NotFound (404),
// RateLimitExceeded (429), InternalServerError (500, its message never the
// cause). Infisical answers a membership that exists already with 400
// BadRequest rather than 409, so ALREADY_EXISTS does too.
import { Code, type ConnectError } from "@connectrpc/connect";
import type { HttpAnswer, HttpFailure } from "../../rpc/http-route.ts";

const BY_CODE: Partial<Record<Code, [number, string]>> = {
  [Code.InvalidArgument]: [400, "BadRequest"],
  [Code.FailedPrecondition]: [400, "BadRequest"],
  [Code.OutOfRange]: [400, "BadRequest"],
  [Code.AlreadyExists]: [400, "BadRequest"],
  [Code.Unauthenticated]: [401, "UnauthorizedError"],
  [Code.PermissionDenied]: [403, "PermissionDenied"],
  [Code.NotFound]: [404, "NotFound"],
  [Code.ResourceExhausted]: [429, "RateLimitExceeded"],
  [Code.Unavailable]: [503, "ServiceUnavailable"],
  [Code.DeadlineExceeded]: [504, "GatewayTimeoutError"],
};

/** Names for the statuses the edge sets itself. */
const BY_STATUS: Record<number, string> = { 405: "MethodNotAllowed", 413: "PayloadTooLarge" };

export function infisicalError(err: ConnectError, { requestId, status }: HttpFailure): HttpAnswer {
  const known = BY_CODE[err.code];
  const statusCode = status ?? known?.[0] ?? 500;
  const error = BY_STATUS[statusCode] ?? known?.[1] ?? "InternalServerError";
  const message = known || status ? err.rawMessage : "Something went wrong";
  return { status: statusCode, body: { reqId: requestId, statusCode, message, error } };
}
