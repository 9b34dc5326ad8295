// Versioned schema migrations on PostgreSQL, one for each of SQLite's
// (store/sqlite/migrations.ts) with the same final schema: times are bigint
// milliseconds, flags boolean, hashes bytea, stored JSON stays text (the
// audit chain hashes it as stored). Text columns compare bytewise (COLLATE
// "C"), as SQLite's do, so key order and keyset pages are the same on both
// stores whatever the database's locale. schema_version records how many
// have run; each runs in its own transaction, and all of them under a
// session advisory lock, so processes that start together migrate once: the
// others wait, then find the schema up to date.
import type pg from "pg";
import { sealExistingEvents } from "../../audit/audit-chain-repo.postgres.ts";
import { MIGRATION_LOCK, MIGRATION_UNLOCK } from "./advisory-locks.ts";
import { backfillOrgSlugs } from "./org-slug-backfill.ts";
import type { Queryable } from "./pg-sql.ts";

const bytewise = (sql: string) => sql.replace(/\bTEXT\b/g, 'TEXT COLLATE "C"');

const MIGRATIONS: readonly (string | ((q: Queryable) => Promise<void>))[] = [
  // 1: the whole membership model, and the audit sequence counter (SQLite's AUTOINCREMENT record).
  bytewise(`
  CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL);
  CREATE TABLE users (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL, email_lower TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
    is_instance_admin BOOLEAN NOT NULL DEFAULT false, created_at BIGINT NOT NULL,
    UNIQUE (organization_id, email_lower)
  );
  CREATE INDEX users_org ON users (organization_id, id);
  CREATE TABLE identities (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), name TEXT NOT NULL, created_at BIGINT NOT NULL);
  CREATE INDEX identities_org ON identities (organization_id, id);
  CREATE TABLE org_members (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'identity')),
    principal_id TEXT NOT NULL, role TEXT NOT NULL, created_at BIGINT NOT NULL,
    PRIMARY KEY (organization_id, principal_type, principal_id, role)
  );
  CREATE INDEX org_members_principal ON org_members (principal_type, principal_id);
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY, hash BYTEA NOT NULL UNIQUE, organization_id TEXT NOT NULL REFERENCES organizations(id),
    principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'identity')), principal_id TEXT NOT NULL,
    description TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT, revoked_at BIGINT
  );
  CREATE INDEX tokens_org ON tokens (organization_id, id);
  CREATE TABLE projects (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL, description TEXT NOT NULL, created_at BIGINT NOT NULL
  );
  CREATE INDEX projects_org ON projects (organization_id, id);
  CREATE TABLE project_roles (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id), slug TEXT NOT NULL, name TEXT NOT NULL,
    description TEXT NOT NULL, permissions TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
    UNIQUE (project_id, slug)
  );
  CREATE TABLE memberships (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
    principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'identity')), principal_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'invited', 'suspended', 'deactivated')),
    invited_at BIGINT, activated_at BIGINT, suspended_at BIGINT, deactivated_at BIGINT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
    UNIQUE (project_id, principal_type, principal_id)
  );
  CREATE INDEX memberships_project ON memberships (project_id, id);
  CREATE INDEX memberships_principal ON memberships (principal_type, principal_id);
  CREATE TABLE membership_roles (
    id TEXT PRIMARY KEY, membership_id TEXT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE, role TEXT NOT NULL,
    custom_role_id TEXT REFERENCES project_roles(id), is_temporary BOOLEAN NOT NULL, temporary_mode TEXT, temporary_range TEXT,
    start_at BIGINT, end_at BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
  );
  CREATE INDEX membership_roles_membership ON membership_roles (membership_id);
  CREATE INDEX membership_roles_custom ON membership_roles (custom_role_id);
  CREATE TABLE audit_events (
    sequence BIGINT PRIMARY KEY, time BIGINT NOT NULL, organization_id TEXT NOT NULL, project_id TEXT,
    actor_type TEXT NOT NULL, actor_id TEXT NOT NULL, action TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,
    request_id TEXT NOT NULL, before TEXT, after TEXT
  );
  CREATE INDEX audit_org ON audit_events (organization_id, sequence);
  CREATE INDEX audit_project ON audit_events (project_id, sequence);
  CREATE INDEX audit_target ON audit_events (target_id, sequence);
  CREATE TABLE audit_sequence (last BIGINT NOT NULL);
  INSERT INTO audit_sequence VALUES (0);
  `),
  // 2: the audit sequence of a membership's last change, kept on its row.
  `
  ALTER TABLE memberships ADD COLUMN last_sequence BIGINT NOT NULL DEFAULT 0;
  UPDATE memberships SET last_sequence = coalesce((SELECT max(a.sequence) FROM audit_events a WHERE a.target_id = memberships.id), 0);
  `,
  // 3: the hash chain of the audit trail; events already there are hashed in sequence order.
  async (q) => {
    await q.query("ALTER TABLE audit_events ADD COLUMN hash BYTEA NOT NULL DEFAULT '\\x'::bytea");
    await sealExistingEvents(q);
  },
  // 4: organizations' unique slugs; those already there get one derived from their name.
  async (q) => {
    await q.query(`ALTER TABLE organizations ADD COLUMN slug TEXT COLLATE "C" NOT NULL DEFAULT ''`);
    await backfillOrgSlugs(q);
    await q.query("CREATE UNIQUE INDEX organizations_slug ON organizations (slug)");
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema version of the database the client is connected to (0 before the first migration). */
export async function schemaVersion(q: Queryable): Promise<number> {
  const exists = await q.query("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_version'");
  if (exists.rows.length === 0) return 0;
  return ((await q.query("SELECT version FROM schema_version")).rows[0]?.version as number | undefined) ?? 0;
}

/**
 * Brings the schema up to date, or up to `target`. Refuses a database
 * written by a newer server. Returns the version it ends at.
 */
export async function migratePostgres(pool: pg.Pool, target = MIGRATIONS.length): Promise<number> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (err: Error) => (lost = err);
  client.on("error", onError);
  try {
    await client.query(MIGRATION_LOCK);
    try {
      await client.query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      const current = await schemaVersion(client);
      if (current > MIGRATIONS.length) throw new Error(`database schema version ${current} is newer than this server supports (${MIGRATIONS.length})`);
      for (let v = current; v < target; v++) {
        await client.query("BEGIN");
        try {
          const step = MIGRATIONS[v]!;
          if (typeof step === "string") await client.query(step);
          else await step(client);
          await client.query("DELETE FROM schema_version");
          await client.query("INSERT INTO schema_version VALUES ($1)", [v + 1]);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw err;
        }
      }
      return Math.max(current, target);
    } finally {
      await client.query(MIGRATION_UNLOCK);
    }
  } finally {
    client.off("error", onError);
    client.release(lost);
  }
}
