// The one place where domain error kinds become Connect codes.
import { Code, ConnectError } from "@connectrpc/connect";
import { DomainError, type ErrorKind } from "../domain/errors.ts";
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

export function toConnectError(err: unknown, log: Logger, fields: Record<string, unknown>): ConnectError {
  if (err instanceof DomainError) return new ConnectError(err.message, CODES[err.kind]);
  if (err instanceof ConnectError) {
    // Connect's own protocol errors (bad input, limits, cancellation) are safe to pass on.
    if (err.code !== Code.Internal && err.code !== Code.Unknown) return err;
  }
  log.error("internal error", { ...fields, ...describeError(err) });
  return new ConnectError("internal error", Code.Internal);
}
