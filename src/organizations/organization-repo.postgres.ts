// Organizations and the roles principals hold in them, on PostgreSQL.
import type { OrgGrant, OrgMemberRepo, OrgRepo } from "../kernel/store.ts";
import type { OrgRecord, PrincipalType } from "../kernel/records.ts";
import { KEY_LOCK } from "../store/postgres/advisory-locks.ts";
import { allRows, oneRow, type Queryable, type ReadMode, type Row } from "../store/postgres/pg-sql.ts";

const toOrg = (r: Row): OrgRecord => ({ id: r.id, name: r.name, slug: r.slug, createdAt: r.created_at });

export function createOrgRepo(q: Queryable): OrgRepo {
  const oneOrg = async (column: "id" | "slug", value: string) => {
    const r = await oneRow(q, `SELECT * FROM organizations WHERE ${column} = $1`, [value]);
    return r ? toOrg(r) : null;
  };
  return {
    insert: async (o) =>
      void (await q.query("INSERT INTO organizations (id, name, slug, created_at) VALUES ($1, $2, $3, $4)", [o.id, o.name, o.slug, o.createdAt])),
    get: (id) => oneOrg("id", id),
    findBySlug: (slug) => oneOrg("slug", slug),
    list: async (page, onlyIds) =>
      (onlyIds
        ? await allRows(q, "SELECT * FROM organizations WHERE id > $1 AND id = ANY($2::text[]) ORDER BY id LIMIT $3", [page.after ?? "", onlyIds, page.limit])
        : await allRows(q, "SELECT * FROM organizations WHERE id > $1 ORDER BY id LIMIT $2", [page.after ?? "", page.limit])
      ).map(toOrg),
    count: async () => (await oneRow(q, "SELECT count(*) AS n FROM organizations", []))!.n as number,
    update: async (o) => void (await q.query("UPDATE organizations SET name = $1 WHERE id = $2", [o.name, o.id])),
    delete: async (id) => void (await q.query("DELETE FROM organizations WHERE id = $1", [id])),
  };
}

const GRANT = `SELECT principal_type AS "principalType", principal_id AS "principalId", role, created_at AS "createdAt" FROM org_members`;

export function createOrgMemberRepo(q: Queryable, mode: ReadMode): OrgMemberRepo {
  const WHO = "organization_id = $1 AND principal_type = $2 AND principal_id = $3";
  // A principal's roles in an organization may be no rows at all, which FOR UPDATE could not lock:
  // a write locks the principal's key instead (advisory, until commit), before it reads them.
  const lockPrincipal = async (orgId: string, type: string, id: string) => {
    if (mode.lockForWrite) await q.query(KEY_LOCK, [`org_member:${orgId}:${type}:${id}`]);
  };
  return {
    add: async (orgId, type, id, role, at) =>
      void (await q.query(
        `INSERT INTO org_members (organization_id, principal_type, principal_id, role, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [orgId, type, id, role, at],
      )),
    grants: async (orgId, p) => {
      if (!p) return (await allRows(q, `${GRANT} WHERE organization_id = $1`, [orgId])) as OrgGrant[];
      await lockPrincipal(orgId, p.type, p.id);
      return (await allRows(q, `${GRANT} WHERE ${WHO}`, [orgId, p.type, p.id])) as OrgGrant[];
    },
    removeAll: async (orgId, type, id) => (await q.query(`DELETE FROM org_members WHERE ${WHO}`, [orgId, type, id])).rowCount ?? 0,
    listPrincipals: async (orgId, page) =>
      (await allRows(
        q,
        `SELECT DISTINCT principal_type AS "principalType", principal_id AS "principalId", principal_type || ':' || principal_id AS k FROM org_members
         WHERE organization_id = $1 AND principal_type || ':' || principal_id > $2
         ORDER BY k LIMIT $3`,
        [orgId, page.after ?? "", page.limit],
      )).map((r) => ({ principalType: r.principalType as PrincipalType, principalId: r.principalId as string })),
    rolesOf: async (orgId, type, id) => {
      await lockPrincipal(orgId, type, id);
      return (await allRows(q, `SELECT role FROM org_members WHERE ${WHO} ORDER BY role`, [orgId, type, id])).map((r) => r.role as string);
    },
    orgsOf: async (type, id) =>
      (await allRows(q, "SELECT DISTINCT organization_id FROM org_members WHERE principal_type = $1 AND principal_id = $2 ORDER BY organization_id", [type, id])).map(
        (r) => r.organization_id as string,
      ),
  };
}
