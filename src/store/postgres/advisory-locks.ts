// PostgreSQL advisory lock keys of this server, one place so they never collide.

/** Held (session-level) while migrating, so that processes starting together migrate once. */
export const MIGRATION_LOCK = 0x6d656d_0001;

/** Held (transaction-level) from an audit append to its commit (audit-repo.postgres.ts). */
export const AUDIT_LOCK = 0x6d656d_0002;
