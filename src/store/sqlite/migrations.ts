// Versioned schema migrations. PRAGMA user_version records how many have run;
// each migration runs in its own transaction, so a crash leaves the schema at
// a whole version.
import type { Database } from "better-sqlite3";
import { sealExistingEvents } from "../../audit/audit-chain-repo.sqlite.ts";
import { backfillOrgSlugs } from "./org-slug-backfill.ts";

/** SQL to run, or a function for what SQL alone cannot do. */
const MIGRATIONS: readonly (string | ((db: Database) => void))[] = [
  // 1: the whole membership model. Times are integer milliseconds since the epoch.
  `
  CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL,
    email_lower TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    is_instance_admin INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (organization_id, email_lower)
  ) STRICT;
  CREATE INDEX users_org ON users (organization_id, id);

  CREATE TABLE identities (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX identities_org ON identities (organization_id, id);

  CREATE TABLE org_members (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'identity')),
    principal_id TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (organization_id, principal_type, principal_id, role)
  ) STRICT;
  CREATE INDEX org_members_principal ON org_members (principal_type, principal_id);

  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'identity')),
    principal_id TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
  ) STRICT;
  CREATE INDEX tokens_org ON tokens (organization_id, id);

  CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX projects_org ON projects (organization_id, id);

  CREATE TABLE project_roles (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    permissions TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (project_id, slug)
  ) STRICT;

  CREATE TABLE memberships (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'identity')),
    principal_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'invited', 'suspended', 'deactivated')),
    invited_at INTEGER,
    activated_at INTEGER,
    suspended_at INTEGER,
    deactivated_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (project_id, principal_type, principal_id)
  ) STRICT;
  CREATE INDEX memberships_project ON memberships (project_id, id);
  CREATE INDEX memberships_principal ON memberships (principal_type, principal_id);

  CREATE TABLE membership_roles (
    id TEXT PRIMARY KEY,
    membership_id TEXT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    custom_role_id TEXT REFERENCES project_roles(id),
    is_temporary INTEGER NOT NULL,
    temporary_mode TEXT,
    temporary_range TEXT,
    start_at INTEGER,
    end_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX membership_roles_membership ON membership_roles (membership_id);
  CREATE INDEX membership_roles_custom ON membership_roles (custom_role_id);

  CREATE TABLE audit_events (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    organization_id TEXT NOT NULL,
    project_id TEXT,
    actor_type TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    before TEXT,
    after TEXT
  ) STRICT;
  CREATE INDEX audit_org ON audit_events (organization_id, sequence);
  CREATE INDEX audit_project ON audit_events (project_id, sequence);
  CREATE INDEX audit_target ON audit_events (target_id, sequence);
  `,
  // 2: the audit sequence of a membership's last change, kept on its row so a
  // list page reads it with the row instead of one max() over the audit trail
  // per membership. The audit repository sets it with every event appended
  // for a membership, in the same transaction.
  `
  ALTER TABLE memberships ADD COLUMN last_sequence INTEGER NOT NULL DEFAULT 0;
  UPDATE memberships SET last_sequence = coalesce((SELECT max(a.sequence) FROM audit_events a WHERE a.target_id = memberships.id), 0);
  `,
  // 3: the hash chain of the audit trail (src/audit/audit-chain.ts); events
  // already there are hashed in sequence order, in this migration's transaction.
  (db) => {
    db.exec("ALTER TABLE audit_events ADD COLUMN hash BLOB NOT NULL DEFAULT x''");
    sealExistingEvents(db);
  },
  // 4: organizations' unique slugs; those already there get one derived from their name.
  (db) => {
    db.exec("ALTER TABLE organizations ADD COLUMN slug TEXT NOT NULL DEFAULT ''");
    backfillOrgSlugs(db);
    db.exec("CREATE UNIQUE INDEX organizations_slug ON organizations (slug)");
  },
];

/**
 * Brings the schema up to date, or up to `target` (tests build an older
 * database that way). Refuses a database written by a newer server.
 */
export function migrate(db: Database, target = MIGRATIONS.length): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this server supports (${MIGRATIONS.length})`);
  }
  for (let v = current; v < target; v++) {
    db.transaction(() => {
      const step = MIGRATIONS[v]!;
      if (typeof step === "string") db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
