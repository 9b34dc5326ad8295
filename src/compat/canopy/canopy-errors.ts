// How Canopy's portal paths answer a failure. Canopy's AppMembership page
// documents the statuses (400 for a bad body, 401 invalid or expired token,
// 403 token not authorized, 404 identity not found, 409 already an active
// member) but not the body; this server answers
// {"error": {"code", "message", "field"?}} with `code` the status's name in
// snake case, and `field` naming the request field a 400 is about.
import { Code, type ConnectError } from "@connectrpc/connect";
import type { HttpAnswer, HttpFailure } from "../../rpc/http-route.ts";

const STATUS: Partial<Record<Code, [number, string]>> = {
  [Code.InvalidArgument]: [400, "bad_request"],
  [Code.OutOfRange]: [400, "bad_request"],
  [Code.Unauthenticated]: [401, "unauthorized"],
  [Code.PermissionDenied]: [403, "forbidden"],
  [Code.NotFound]: [404, "not_found"],
  [Code.Unimplemented]: [405, "method_not_allowed"],
  // A membership already there, or one whose status does not allow the transition: both conflict with the current state.
  [Code.AlreadyExists]: [409, "conflict"],
  [Code.FailedPrecondition]: [409, "conflict"],
  [Code.ResourceExhausted]: [429, "too_many_requests"],
  [Code.Unavailable]: [503, "service_unavailable"],
};

/** Names for the statuses the edge sets itself. */
const BY_STATUS: Record<number, string> = { 405: "method_not_allowed", 413: "payload_too_large" };

export function canopyError(err: ConnectError, { field, status: edgeStatus }: HttpFailure): HttpAnswer {
  const known = STATUS[err.code] ?? [500, "internal_error"];
  const status = edgeStatus ?? known[0];
  const code = BY_STATUS[status] ?? known[1];
  const message = status === 500 ? "internal error" : err.rawMessage;
  return { status, body: { error: field === undefined ? { code, message } : { code, message, field } } };
}
