// Memberships of users and identities, with their roles.
import type { Database, Statement } from "better-sqlite3";
import type { MemberTextQuery, MembershipFilter, MembershipRepo, OrgMembershipFilter } from "../kernel/store.ts";
import type { MembershipRoleView, MembershipView } from "../kernel/records.ts";
import { likePrefix, type Row } from "../store/sqlite/sql.ts";
import { textMatches } from "../kernel/text-match.ts";
import { toRole, toView } from "./membership-rows.ts";

type CustomRoleName = { id: string; name: string; slug: string };

// Each read is one statement for the memberships with their principal and
// one for their roles. In the joined and sorted statements parameters are
// written +?: SQLite marks a plain parameter of a join, of an ORDER BY query,
// of a LIMIT or of a LIKE pattern for a re-prepare whenever it is bound, and
// better-sqlite3 binds afresh on every run, so each run would be parsed and
// planned again (and its row shape rebuilt), 30-80 µs instead of 1-5 µs. The
// unary plus keeps the plan, index searches included, and drops the mark
// (bench/README.md).
// last_sequence is kept on the row by the audit repository (migration 2).
const PRINCIPAL_COLUMNS = `u.id AS user_id, u.email AS user_email, u.first_name AS user_first_name, u.last_name AS user_last_name,
  u.organization_id AS user_org, i.id AS identity_id, i.name AS identity_name, i.organization_id AS identity_org`;
const SELECT_MEMBERSHIPS = `SELECT m.*, ${PRINCIPAL_COLUMNS} FROM memberships m
  LEFT JOIN users u ON m.principal_type = 'user' AND u.id = m.principal_id
  LEFT JOIN identities i ON m.principal_type = 'identity' AND i.id = m.principal_id`;

export function createMembershipRepo(db: Database): MembershipRepo {
  // Member search conditions travel as one JSON parameter so the statement
  // stays prepared once whatever the number of conditions.
  let lastJson = "";
  let lastQueries: MemberTextQuery[] = [];
  db.function("member_matches", { deterministic: true }, (first, last, email, userId, json) => {
    if (json !== lastJson) {
      lastJson = json as string;
      lastQueries = JSON.parse(lastJson) as MemberTextQuery[];
    }
    const fields = { first_name: first, last_name: last, email, user_id: userId } as Record<string, unknown>;
    return lastQueries.every((q) => textMatches(String(fields[q.field] ?? ""), q)) ? 1 : 0;
  });

  const find = db.prepare(`${SELECT_MEMBERSHIPS} WHERE m.project_id = +? AND m.principal_type = +? AND m.principal_id = +?`);
  const get = db.prepare(`${SELECT_MEMBERSHIPS} WHERE m.id = +?`);
  const rolesOfOne = db.prepare("SELECT * FROM membership_roles WHERE membership_id = ?");
  const rolesOfMany = db.prepare("SELECT * FROM membership_roles WHERE membership_id IN (SELECT value FROM json_each(?))");
  const customRole = db.prepare("SELECT id, name, slug FROM project_roles WHERE id = ?");
  const customRoles = db.prepare("SELECT id, name, slug FROM project_roles WHERE id IN (SELECT value FROM json_each(?))");

  /** Custom role names and slugs: a point lookup for one id, one json_each statement for many. */
  function customRolesById(ids: string[]): Map<string, CustomRoleName> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = (unique.length === 1 ? [customRole.get(unique[0])].filter(Boolean) : customRoles.all(JSON.stringify(unique))) as CustomRoleName[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Adds the roles (with custom role names) to rows that already carry their principal. */
  function hydrate(rows: Row[]): MembershipView[] {
    if (rows.length === 0) return [];
    const roleRows = (rows.length === 1 ? rolesOfOne.all(rows[0]!.id) : rolesOfMany.all(JSON.stringify(rows.map((m) => m.id)))) as Row[];
    const roles = roleRows.map(toRole).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const custom = customRolesById(roles.flatMap((r) => (r.customRoleId ? [r.customRoleId] : [])));
    const byMembership = new Map<string, MembershipRoleView[]>();
    for (const role of roles) {
      const c = role.customRoleId ? custom.get(role.customRoleId) : undefined;
      if (c) Object.assign(role, { customRoleName: c.name, customRoleSlug: c.slug });
      const list = byMembership.get(role.membershipId);
      if (list) list.push(role);
      else byMembership.set(role.membershipId, [role]);
    }
    return rows.map((m) => toView(m, byMembership.get(m.id) ?? []));
  }
  const one = (r: Row | undefined) => (r ? hydrate([r])[0]! : null);

  // One statement per combination of filters, prepared on first use: a
  // filter that is off is left out of the SQL rather than disabled with
  // "? = '' OR ...", which SQLite would re-plan on every run.
  const listStatements = new Map<string, Statement>();
  function listStatement(f: MembershipFilter): Statement {
    const key = `${f.principalType ? 1 : 0}${f.role ? 1 : 0}${f.emailPrefix ? 1 : 0}`;
    let stmt = listStatements.get(key);
    if (!stmt) {
      const where = ["m.project_id = +@projectId", "m.id > +@after", "m.status IN (SELECT value FROM json_each(@statuses))"];
      if (f.principalType) where.push("m.principal_type = +@principalType");
      if (f.role) where.push("EXISTS (SELECT 1 FROM membership_roles r WHERE r.membership_id = m.id AND r.role = +@role)");
      if (f.emailPrefix) where.push("m.principal_type = 'user'", "u.email_lower LIKE +@email ESCAPE '\\'");
      stmt = db.prepare(`${SELECT_MEMBERSHIPS} WHERE ${where.join(" AND ")} ORDER BY m.id LIMIT +@limit`);
      listStatements.set(key, stmt);
    }
    return stmt;
  }

  // Across an organization's projects: one statement per combination of conditions, as above.
  const orgStatements = new Map<string, Statement>();
  function orgStatement(f: OrgMembershipFilter): Statement {
    const key = `${f.projectIds ? 1 : 0}${f.principalIds ? 1 : 0}${f.roles ? 1 : 0}`;
    let stmt = orgStatements.get(key);
    if (!stmt) {
      // Through the organization's projects: memberships have no index by organization, projects do.
      const where = ["m.project_id IN (SELECT id FROM projects WHERE organization_id = @orgId)", "m.principal_type = +@principalType", "m.status IN (SELECT value FROM json_each(@statuses))"];
      if (f.projectIds) where.push("m.project_id IN (SELECT value FROM json_each(@projectIds))");
      if (f.principalIds) where.push("m.principal_id IN (SELECT value FROM json_each(@principalIds))");
      if (f.roles) where.push("EXISTS (SELECT 1 FROM membership_roles r WHERE r.membership_id = m.id AND r.role IN (SELECT value FROM json_each(@roles)))");
      stmt = db.prepare(`${SELECT_MEMBERSHIPS} WHERE ${where.join(" AND ")} ORDER BY m.id`);
      orgStatements.set(key, stmt);
    }
    return stmt;
  }

  const insert = db.prepare(
    `INSERT INTO memberships (id, project_id, organization_id, principal_type, principal_id, status,
       invited_at, activated_at, suspended_at, deactivated_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    `UPDATE memberships SET status = ?, invited_at = ?, activated_at = ?, suspended_at = ?, deactivated_at = ?, updated_at = ?
     WHERE id = ?`,
  );
  const deleteRoles = db.prepare("DELETE FROM membership_roles WHERE membership_id = ?");
  const insertRole = db.prepare(
    `INSERT INTO membership_roles (id, membership_id, role, custom_role_id, is_temporary, temporary_mode, temporary_range,
       start_at, end_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The member search by offset: user memberships only.
  const searchWhere = `WHERE m.project_id = +? AND m.principal_type = 'user' AND u.id IS NOT NULL
       AND m.status IN (SELECT value FROM json_each(?))
       AND member_matches(u.first_name, u.last_name, u.email, u.id, ?)`;
  const searchAsc = db.prepare(`${SELECT_MEMBERSHIPS} ${searchWhere} ORDER BY m.id ASC LIMIT +? OFFSET +?`);
  const searchDesc = db.prepare(`${SELECT_MEMBERSHIPS} ${searchWhere} ORDER BY m.id DESC LIMIT +? OFFSET +?`);
  const searchCount = db.prepare(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.principal_id ${searchWhere}`).pluck();

  return {
    find: (projectId, type, id) => one(find.get(projectId, type, id) as Row | undefined),
    get: (id) => one(get.get(id) as Row | undefined),
    insert: (m) =>
      void insert.run(
        m.id, m.projectId, m.organizationId, m.principalType, m.principalId, m.status,
        m.invitedAt, m.activatedAt, m.suspendedAt, m.deactivatedAt, m.createdAt, m.updatedAt,
      ),
    update: (m) =>
      void update.run(m.status, m.invitedAt, m.activatedAt, m.suspendedAt, m.deactivatedAt, m.updatedAt, m.id),
    replaceRoles: (membershipId, roles) => {
      deleteRoles.run(membershipId);
      for (const r of roles) {
        insertRole.run(
          r.id, membershipId, r.role, r.customRoleId, r.isTemporary ? 1 : 0, r.temporaryMode, r.temporaryRange,
          r.startAt, r.endAt, r.createdAt, r.updatedAt,
        );
      }
    },
    list: (projectId, f, page) => {
      const rows = listStatement(f).all({
        projectId,
        after: page.after ?? "",
        statuses: JSON.stringify(f.statuses),
        limit: page.limit,
        ...(f.principalType ? { principalType: f.principalType } : {}),
        ...(f.role ? { role: f.role } : {}),
        ...(f.emailPrefix ? { email: likePrefix(f.emailPrefix.toLowerCase()) } : {}),
      }) as Row[];
      return hydrate(rows);
    },
    searchUsers: (projectId, s) => {
      const statuses = JSON.stringify(s.statuses);
      const queries = JSON.stringify(s.queries);
      const stmt = s.asc ? searchAsc : searchDesc;
      const rows = stmt.all(projectId, statuses, queries, s.limit, s.offset) as Row[];
      const total = searchCount.get(projectId, statuses, queries) as number;
      return { rows: hydrate(rows), total };
    },
    listInOrganization: (orgId, f) => {
      const params: Record<string, string> = { orgId, principalType: f.principalType, statuses: JSON.stringify(f.statuses) };
      if (f.projectIds) params.projectIds = JSON.stringify(f.projectIds);
      if (f.principalIds) params.principalIds = JSON.stringify(f.principalIds);
      if (f.roles) params.roles = JSON.stringify(f.roles);
      return hydrate(orgStatement(f).all(params) as Row[]);
    },
  };
}
