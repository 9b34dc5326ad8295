// Organizations, their principals (users, identities), org roles and tokens.
import type { Database } from "better-sqlite3";
import type { IdentityRepo, OrgMemberRepo, OrgRepo, TokenRepo, UserRepo } from "../kernel/store.ts";
import type { IdentityRecord, OrgRecord, PrincipalType, TokenRecord, UserRecord } from "../kernel/records.ts";

type Row = Record<string, any>;

const toOrg = (r: Row): OrgRecord => ({ id: r.id, name: r.name, createdAt: r.created_at });
const toUser = (r: Row): UserRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  email: r.email,
  firstName: r.first_name,
  lastName: r.last_name,
  isInstanceAdmin: r.is_instance_admin === 1,
  createdAt: r.created_at,
});
const toIdentity = (r: Row): IdentityRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  name: r.name,
  createdAt: r.created_at,
});
const toToken = (r: Row): TokenRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  principalType: r.principal_type,
  principalId: r.principal_id,
  description: r.description,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

/** Escapes LIKE wildcards so a prefix is matched literally. */
export const likePrefix = (s: string) => s.replace(/[\\%_]/g, (c) => "\\" + c) + "%";

export function createOrgRepo(db: Database): OrgRepo {
  const insert = db.prepare("INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)");
  const get = db.prepare("SELECT * FROM organizations WHERE id = ?");
  const list = db.prepare("SELECT * FROM organizations WHERE id > ? ORDER BY id LIMIT ?");
  const listOnly = db.prepare(
    "SELECT * FROM organizations WHERE id > ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?",
  );
  const count = db.prepare("SELECT count(*) AS n FROM organizations").pluck();
  return {
    insert: (o) => void insert.run(o.id, o.name, o.createdAt),
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toOrg(r) : null;
    },
    list: (page, onlyIds) =>
      (onlyIds
        ? listOnly.all(page.after ?? "", JSON.stringify(onlyIds), page.limit)
        : list.all(page.after ?? "", page.limit)
      ).map((r) => toOrg(r as Row)),
    count: () => count.get() as number,
  };
}

export function createOrgMemberRepo(db: Database): OrgMemberRepo {
  const add = db.prepare(
    "INSERT OR IGNORE INTO org_members (organization_id, principal_type, principal_id, role, created_at) VALUES (?, ?, ?, ?, ?)",
  );
  // Sorted here, not in SQL: a sorting ORDER BY makes SQLite re-plan on every run (bench/README.md).
  const roles = db.prepare("SELECT role FROM org_members WHERE organization_id = ? AND principal_type = ? AND principal_id = ?").pluck();
  const orgs = db.prepare("SELECT organization_id FROM org_members WHERE principal_type = ? AND principal_id = ?").pluck();
  const removeAll = db.prepare("DELETE FROM org_members WHERE organization_id = ? AND principal_type = ? AND principal_id = ?");
  const principals = db.prepare(
    `SELECT DISTINCT principal_type AS principalType, principal_id AS principalId FROM org_members
     WHERE organization_id = ? AND principal_type || ':' || principal_id > ?
     ORDER BY principal_type || ':' || principal_id LIMIT ?`,
  );
  return {
    add: (orgId, type, id, role, at) => void add.run(orgId, type, id, role, at),
    removeAll: (orgId, type, id) => removeAll.run(orgId, type, id).changes,
    listPrincipals: (orgId, page) =>
      principals.all(orgId, page.after ?? "", page.limit) as { principalType: PrincipalType; principalId: string }[],
    rolesOf: (orgId, type, id) => (roles.all(orgId, type, id) as string[]).sort(),
    orgsOf: (type: PrincipalType, id) => [...new Set(orgs.all(type, id) as string[])].sort(),
  };
}

export function createUserRepo(db: Database): UserRepo {
  const insert = db.prepare(
    `INSERT INTO users (id, organization_id, email, email_lower, first_name, last_name, is_instance_admin, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const get = db.prepare("SELECT * FROM users WHERE id = ?");
  const byEmail = db.prepare("SELECT * FROM users WHERE organization_id = ? AND email_lower = ?");
  const list = db.prepare(
    "SELECT * FROM users WHERE organization_id = ? AND id > ? AND email_lower LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
  );
  return {
    insert: (u) =>
      void insert.run(u.id, u.organizationId, u.email, u.email.toLowerCase(), u.firstName, u.lastName, u.isInstanceAdmin ? 1 : 0, u.createdAt),
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toUser(r) : null;
    },
    findByEmail: (orgId, email) => {
      const r = byEmail.get(orgId, email.toLowerCase()) as Row | undefined;
      return r ? toUser(r) : null;
    },
    list: (orgId, page, prefix) =>
      list.all(orgId, page.after ?? "", likePrefix(prefix.toLowerCase()), page.limit).map((r) => toUser(r as Row)),
  };
}

export function createIdentityRepo(db: Database): IdentityRepo {
  const insert = db.prepare("INSERT INTO identities (id, organization_id, name, created_at) VALUES (?, ?, ?, ?)");
  const get = db.prepare("SELECT * FROM identities WHERE id = ?");
  const list = db.prepare("SELECT * FROM identities WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?");
  return {
    insert: (i) => void insert.run(i.id, i.organizationId, i.name, i.createdAt),
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toIdentity(r) : null;
    },
    list: (orgId, page) => list.all(orgId, page.after ?? "", page.limit).map((r) => toIdentity(r as Row)),
  };
}

export function createTokenRepo(db: Database): TokenRepo {
  const insert = db.prepare(
    `INSERT INTO tokens (id, hash, organization_id, principal_type, principal_id, description, created_at, expires_at, revoked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare("SELECT * FROM tokens WHERE hash = ?");
  const get = db.prepare("SELECT * FROM tokens WHERE id = ?");
  const revoke = db.prepare("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  const list = db.prepare(
    "SELECT * FROM tokens WHERE organization_id = ? AND id > ? AND (? = '' OR principal_id = ?) ORDER BY id LIMIT ?",
  );
  return {
    insert: (t, hash) =>
      void insert.run(t.id, hash, t.organizationId, t.principalType, t.principalId, t.description, t.createdAt, t.expiresAt, t.revokedAt),
    findByHash: (hash) => {
      const r = byHash.get(hash) as Row | undefined;
      return r ? toToken(r) : null;
    },
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toToken(r) : null;
    },
    revoke: (id, at) => void revoke.run(at, id),
    list: (orgId, page, principalId) =>
      list.all(orgId, page.after ?? "", principalId, principalId, page.limit).map((r) => toToken(r as Row)),
  };
}
