// The domain speaks in error kinds, never in transport codes: one mapper at the
// edge (rpc/error-mapper.ts) turns kinds into Connect codes, and the
// ZITADEL layer additionally turns `reason` into its stable error ids.

export type ErrorKind =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "permission_denied"
  | "failed_precondition"
  | "unauthenticated"
  | "resource_exhausted"
  | "unavailable";

export class DomainError extends Error {
  readonly kind: ErrorKind;
  /** A stable, machine-readable reason such as "membership.already_active". */
  readonly reason: string;
  /** The request field the error is about, when there is one: what renameField rewrites. */
  readonly field: string | undefined;

  /** For resource_exhausted: how long the caller should wait before trying again. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: ErrorKind, reason: string, message: string, field?: string, retryAfterMs?: number) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.reason = reason;
    this.field = field;
    this.retryAfterMs = retryAfterMs;
  }
}

export const invalidArgument = (field: string, message: string, reason = "request.invalid_field") =>
  new DomainError("invalid_argument", reason, `${field}: ${message}`, field);
export const notFound = (reason: string, message: string) => new DomainError("not_found", reason, message);
export const alreadyExists = (reason: string, message: string) => new DomainError("already_exists", reason, message);
export const permissionDenied = (reason: string, message: string) =>
  new DomainError("permission_denied", reason, message);
export const failedPrecondition = (reason: string, message: string) =>
  new DomainError("failed_precondition", reason, message);
export const resourceExhausted = (reason: string, message: string, retryAfterMs: number) =>
  new DomainError("resource_exhausted", reason, message, undefined, retryAfterMs);
export const unauthenticated = (message: string) => new DomainError("unauthenticated", "auth.unauthenticated", message);

/**
 * The same error about another field name: an API whose request is shaped
 * differently from the domain's input names the field as its clients know it.
 */
export function renameField(err: unknown, rename: (field: string) => string): unknown {
  if (!(err instanceof DomainError) || err.field === undefined) return err;
  const field = rename(err.field);
  if (field === err.field) return err;
  return new DomainError(err.kind, err.reason, field + err.message.slice(err.field.length), field);
}
