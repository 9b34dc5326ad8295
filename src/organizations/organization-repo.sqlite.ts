// Organizations and the roles principals hold in them.
import type { Database } from "better-sqlite3";
import type { OrgGrant, OrgMemberRepo, OrgRepo } from "../kernel/store.ts";
import type { OrgRecord, PrincipalType } from "../kernel/records.ts";
import type { Row } from "../store/sqlite/sql.ts";

const toOrg = (r: Row): OrgRecord => ({ id: r.id, name: r.name, slug: r.slug, createdAt: r.created_at });
export function createOrgRepo(db: Database): OrgRepo {
  const insert = db.prepare("INSERT INTO organizations (id, name, slug, created_at) VALUES (?, ?, ?, ?)");
  const get = db.prepare("SELECT * FROM organizations WHERE id = ?");
  const bySlug = db.prepare("SELECT * FROM organizations WHERE slug = ?");
  const list = db.prepare("SELECT * FROM organizations WHERE id > ? ORDER BY id LIMIT ?");
  const listOnly = db.prepare(
    "SELECT * FROM organizations WHERE id > ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?",
  );
  const count = db.prepare("SELECT count(*) AS n FROM organizations").pluck();
  const update = db.prepare("UPDATE organizations SET name = ? WHERE id = ?");
  const del = db.prepare("DELETE FROM organizations WHERE id = ?");
  return {
    insert: (o) => void insert.run(o.id, o.name, o.slug, o.createdAt),
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toOrg(r) : null;
    },
    findBySlug: (slug) => {
      const r = bySlug.get(slug) as Row | undefined;
      return r ? toOrg(r) : null;
    },
    list: (page, onlyIds) =>
      (onlyIds
        ? listOnly.all(page.after ?? "", JSON.stringify(onlyIds), page.limit)
        : list.all(page.after ?? "", page.limit)
      ).map((r) => toOrg(r as Row)),
    count: () => count.get() as number,
    update: (o) => void update.run(o.name, o.id),
    delete: (id) => void del.run(id),
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
  const GRANT = "SELECT principal_type AS principalType, principal_id AS principalId, role, created_at AS createdAt FROM org_members";
  const grantsIn = db.prepare(`${GRANT} WHERE organization_id = ?`);
  const grantsOf = db.prepare(`${GRANT} WHERE organization_id = ? AND principal_type = ? AND principal_id = ?`);
  return {
    add: (orgId, type, id, role, at) => void add.run(orgId, type, id, role, at),
    grants: (orgId, p) => (p ? grantsOf.all(orgId, p.type, p.id) : grantsIn.all(orgId)) as OrgGrant[],
    removeAll: (orgId, type, id) => removeAll.run(orgId, type, id).changes,
    listPrincipals: (orgId, page) =>
      principals.all(orgId, page.after ?? "", page.limit) as { principalType: PrincipalType; principalId: string }[],
    rolesOf: (orgId, type, id) => (roles.all(orgId, type, id) as string[]).sort(),
    orgsOf: (type: PrincipalType, id) => [...new Set(orgs.all(type, id) as string[])].sort(),
  };
}
