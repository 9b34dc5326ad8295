// Memberships of users and identities, with their roles, on PostgreSQL.
// Rows map to records exactly as the SQLite repository's do
// (membership-repo.sqlite.ts); conditions that are off are left out of the SQL.
import type { MembershipFilter, MembershipRepo, OrgMembershipFilter } from "../kernel/store.ts";
import type { MembershipRoleView, MembershipView } from "../kernel/records.ts";
import { allRows, likePrefix, type Queryable, type ReadMode, type Row } from "../store/postgres/pg-sql.ts";
import { textMatches } from "../kernel/text-match.ts";
import { toRole, toView } from "./membership-rows.ts";

const SELECT_MEMBERSHIPS = `SELECT m.*, u.id AS user_id, u.email AS user_email, u.first_name AS user_first_name, u.last_name AS user_last_name,
  u.organization_id AS user_org, i.id AS identity_id, i.name AS identity_name, i.organization_id AS identity_org FROM memberships m
  LEFT JOIN users u ON m.principal_type = 'user' AND u.id = m.principal_id
  LEFT JOIN identities i ON m.principal_type = 'identity' AND i.id = m.principal_id`;

/** Builds a WHERE clause with numbered parameters, adding only the conditions that are on. */
function conditions() {
  const where: string[] = [];
  const values: unknown[] = [];
  return {
    where,
    values,
    add(sql: (p: string) => string, value: unknown) {
      values.push(value);
      where.push(sql(`$${values.length}`));
    },
  };
}

export function createMembershipRepo(q: Queryable, mode: ReadMode): MembershipRepo {
  const forWrite = mode.lockForWrite ? " FOR UPDATE OF m" : "";
  /** Adds the roles, with their custom roles' current names, in id order. */
  async function hydrate(rows: Row[]): Promise<MembershipView[]> {
    if (rows.length === 0) return [];
    const roleRows = await allRows(
      q,
      `SELECT r.*, c.name AS custom_name, c.slug AS custom_slug FROM membership_roles r
       LEFT JOIN project_roles c ON c.id = r.custom_role_id WHERE r.membership_id = ANY($1::text[]) ORDER BY r.id`,
      [rows.map((m) => m.id)],
    );
    const byMembership = new Map<string, MembershipRoleView[]>();
    for (const role of roleRows.map(toRole)) {
      const list = byMembership.get(role.membershipId);
      if (list) list.push(role);
      else byMembership.set(role.membershipId, [role]);
    }
    return rows.map((m) => toView(m, byMembership.get(m.id) ?? []));
  }
  const one = async (sql: string, values: unknown[]) => (await hydrate(await allRows(q, sql, values)))[0] ?? null;

  return {
    find: (projectId, type, id) => one(`${SELECT_MEMBERSHIPS} WHERE m.project_id = $1 AND m.principal_type = $2 AND m.principal_id = $3${forWrite}`, [projectId, type, id]),
    get: (id) => one(`${SELECT_MEMBERSHIPS} WHERE m.id = $1${forWrite}`, [id]),
    insert: async (m) =>
      void (await q.query(
        `INSERT INTO memberships (id, project_id, organization_id, principal_type, principal_id, status,
           invited_at, activated_at, suspended_at, deactivated_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [m.id, m.projectId, m.organizationId, m.principalType, m.principalId, m.status, m.invitedAt, m.activatedAt, m.suspendedAt, m.deactivatedAt, m.createdAt, m.updatedAt],
      )),
    update: async (m) =>
      void (await q.query(
        `UPDATE memberships SET status = $1, invited_at = $2, activated_at = $3, suspended_at = $4, deactivated_at = $5, updated_at = $6 WHERE id = $7`,
        [m.status, m.invitedAt, m.activatedAt, m.suspendedAt, m.deactivatedAt, m.updatedAt, m.id],
      )),
    replaceRoles: async (membershipId, roles) => {
      await q.query("DELETE FROM membership_roles WHERE membership_id = $1", [membershipId]);
      for (const r of roles) {
        await q.query(
          `INSERT INTO membership_roles (id, membership_id, role, custom_role_id, is_temporary, temporary_mode, temporary_range,
             start_at, end_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [r.id, membershipId, r.role, r.customRoleId, r.isTemporary, r.temporaryMode, r.temporaryRange, r.startAt, r.endAt, r.createdAt, r.updatedAt],
        );
      }
    },
    list: async (projectId, f: MembershipFilter, page) => {
      const c = conditions();
      c.add((p) => `m.project_id = ${p}`, projectId);
      c.add((p) => `m.id > ${p}`, page.after ?? "");
      c.add((p) => `m.status = ANY(${p}::text[])`, f.statuses);
      if (f.principalType) c.add((p) => `m.principal_type = ${p}`, f.principalType);
      if (f.role) c.add((p) => `EXISTS (SELECT 1 FROM membership_roles r WHERE r.membership_id = m.id AND r.role = ${p})`, f.role);
      if (f.emailPrefix) c.add((p) => `m.principal_type = 'user' AND u.email_lower LIKE ${p}`, likePrefix(f.emailPrefix.toLowerCase()));
      c.values.push(page.limit);
      return hydrate(await allRows(q, `${SELECT_MEMBERSHIPS} WHERE ${c.where.join(" AND ")} ORDER BY m.id LIMIT $${c.values.length}`, c.values));
    },
    // The text conditions are evaluated here, by the same function as on
    // SQLite (kernel/text-match.ts), so case folding is JavaScript's on both
    // stores rather than each database's collation rules.
    searchUsers: async (projectId, s) => {
      const rows = await allRows(
        q,
        `${SELECT_MEMBERSHIPS} WHERE m.project_id = $1 AND m.principal_type = 'user' AND u.id IS NOT NULL AND m.status = ANY($2::text[])
         ORDER BY m.id ${s.asc ? "ASC" : "DESC"}`,
        [projectId, s.statuses],
      );
      const matching = rows.filter((r) => {
        const fields: Record<string, string> = { first_name: r.user_first_name, last_name: r.user_last_name, email: r.user_email, user_id: r.user_id };
        return s.queries.every((t) => textMatches(String(fields[t.field] ?? ""), t));
      });
      return { rows: await hydrate(matching.slice(s.offset, s.offset + s.limit)), total: matching.length };
    },
    listInOrganization: async (orgId, f: OrgMembershipFilter) => {
      const c = conditions();
      c.add((p) => `m.project_id IN (SELECT id FROM projects WHERE organization_id = ${p})`, orgId);
      c.add((p) => `m.principal_type = ${p}`, f.principalType);
      c.add((p) => `m.status = ANY(${p}::text[])`, f.statuses);
      if (f.projectIds) c.add((p) => `m.project_id = ANY(${p}::text[])`, f.projectIds);
      if (f.principalIds) c.add((p) => `m.principal_id = ANY(${p}::text[])`, f.principalIds);
      if (f.roles) c.add((p) => `EXISTS (SELECT 1 FROM membership_roles r WHERE r.membership_id = m.id AND r.role = ANY(${p}::text[]))`, f.roles);
      return hydrate(await allRows(q, `${SELECT_MEMBERSHIPS} WHERE ${c.where.join(" AND ")} ORDER BY m.id`, c.values));
    },
  };
}
