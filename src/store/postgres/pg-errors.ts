// PostgreSQL's failures as the domain's error kinds, the same kinds the
// SQLite store produces, so handlers and clients never see a driver error:
// a unique violation is ALREADY_EXISTS with the reason the domain's own
// check would have given (two transactions that both checked, then both
// inserted), a lost or refused connection or a statement timeout is
// UNAVAILABLE. Messages name neither SQL nor the database's address.
import { DomainError } from "../../kernel/errors.ts";

/** node-postgres's error fields that we read (SQLSTATE code, table of a constraint). */
interface PgError {
  code?: string;
  table?: string;
}

const pgError = (err: unknown): PgError => (err && typeof err === "object" ? (err as PgError) : {});

/** Serialization failure or deadlock: the transaction was undone whole and may simply run again. */
export function isRetryable(err: unknown): boolean {
  const { code } = pgError(err);
  return code === "40001" || code === "40P01";
}

const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/**
 * The database cannot be reached or is going away: a network error, a
 * connection class (08) or operator (57P01-57P03) error, too many
 * connections, or node-postgres's own "Connection terminated" and pool
 * timeouts, which carry no code.
 */
export function isConnectionLost(err: unknown): boolean {
  const { code } = pgError(err);
  if (code === undefined) return err instanceof Error && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i.test(err.message);
  return NETWORK.has(code) || code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300";
}

/** What the domain's check reports for each table's unique key. */
const UNIQUE_REASONS: Record<string, [reason: string, message: string]> = {
  organizations: ["organization.slug_taken", "the slug is already used by another organization"],
  memberships: ["membership.already_exists", "the principal already has a membership in this project"],
  users: ["user.email_taken", "a user with this email already exists in this organization"],
  project_roles: ["role.slug_taken", "a role with this slug already exists in the project"],
  org_members: ["org_member.already_exists", "the principal already holds this role in the organization"],
};

export const storeUnavailable = () =>
  new DomainError("unavailable", "store.unavailable", "the database cannot be reached at the moment; try again");

/** The domain error for a PostgreSQL failure, or the failure itself when it has no domain meaning (INTERNAL, logged). */
export function toDomainError(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  const { code, table } = pgError(err);
  if (code === "23505") {
    const [reason, message] = UNIQUE_REASONS[table ?? ""] ?? ["store.already_exists", "the resource already exists"];
    return new DomainError("already_exists", reason, message);
  }
  if (code === "57014") return new DomainError("unavailable", "store.timeout", "the database did not answer in time; try again");
  if (isRetryable(err)) return new DomainError("unavailable", "store.contention", "the write kept conflicting with concurrent writes; try again");
  if (isConnectionLost(err)) return storeUnavailable();
  return err;
}
