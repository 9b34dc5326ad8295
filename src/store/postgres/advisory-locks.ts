// PostgreSQL advisory locks of this server, in one place so they never
// collide. Keys are two integers: the kind of lock, and the hash of the
// schema (one database may hold several servers' schemas, each with its own
// trail; the tests give each world a schema of its own), or of the schema
// and a row's key.

/** Held (session-level) while migrating, so that processes starting together migrate once. */
export const MIGRATION_LOCK = "SELECT pg_advisory_lock(1, hashtext(current_schema()))";
export const MIGRATION_UNLOCK = "SELECT pg_advisory_unlock(1, hashtext(current_schema()))";

/** Held (transaction-level) from an audit append to its commit (audit-repo.postgres.ts). */
export const AUDIT_LOCK = "SELECT pg_advisory_xact_lock(2, hashtext(current_schema()))";

/** Held (transaction-level) by a write on a key that may have no row to lock yet ($1: the key). */
export const KEY_LOCK = "SELECT pg_advisory_xact_lock(3, hashtext(current_schema() || ':' || $1))";
