// Memberships of users and identities, with their roles.
import type { Database } from "better-sqlite3";
import type { MemberTextQuery, MembershipRepo } from "../../domain/ports.ts";
import type { MembershipRoleView, MembershipView } from "../../domain/records.ts";
import { likePrefix } from "./principal-repos.ts";

type Row = Record<string, any>;

const MEMBERSHIP_SELECT = `
  SELECT m.*, u.email AS u_email, u.first_name AS u_first, u.last_name AS u_last, u.organization_id AS u_org,
         i.name AS i_name, i.organization_id AS i_org,
         (SELECT coalesce(max(a.sequence), 0) FROM audit_events a WHERE a.target_id = m.id) AS last_sequence
  FROM memberships m
  LEFT JOIN users u ON m.principal_type = 'user' AND u.id = m.principal_id
  LEFT JOIN identities i ON m.principal_type = 'identity' AND i.id = m.principal_id`;

const toRole = (r: Row): MembershipRoleView => ({
  id: r.id,
  membershipId: r.membership_id,
  role: r.role,
  customRoleId: r.custom_role_id,
  customRoleName: r.custom_name ?? null,
  customRoleSlug: r.custom_slug ?? null,
  isTemporary: r.is_temporary === 1,
  temporaryMode: r.temporary_mode,
  temporaryRange: r.temporary_range,
  startAt: r.start_at,
  endAt: r.end_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function toView(r: Row, roles: MembershipRoleView[]): MembershipView {
  return {
    id: r.id,
    projectId: r.project_id,
    organizationId: r.organization_id,
    principalType: r.principal_type,
    principalId: r.principal_id,
    status: r.status,
    invitedAt: r.invited_at,
    activatedAt: r.activated_at,
    suspendedAt: r.suspended_at,
    deactivatedAt: r.deactivated_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastSequence: r.last_sequence,
    user:
      r.principal_type === "user" && r.u_email !== null
        ? { id: r.principal_id, email: r.u_email, firstName: r.u_first, lastName: r.u_last, organizationId: r.u_org }
        : null,
    identity:
      r.principal_type === "identity" && r.i_name !== null
        ? { id: r.principal_id, name: r.i_name, organizationId: r.i_org }
        : null,
    roles,
  };
}

/** Matches one text query the way ZITADEL's TextQueryMethod defines it. */
function textMatches(value: string, q: MemberTextQuery): boolean {
  const v = q.ignoreCase ? value.toLowerCase() : value;
  const needle = q.ignoreCase ? q.value.toLowerCase() : q.value;
  switch (q.match) {
    case "equals":
      return v === needle;
    case "starts_with":
      return v.startsWith(needle);
    case "contains":
      return v.includes(needle);
    case "ends_with":
      return v.endsWith(needle);
  }
}

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

  const rolesOf = db.prepare(
    `SELECT r.*, p.name AS custom_name, p.slug AS custom_slug FROM membership_roles r
     LEFT JOIN project_roles p ON p.id = r.custom_role_id
     WHERE r.membership_id IN (SELECT value FROM json_each(?)) ORDER BY r.membership_id, r.id`,
  );
  const find = db.prepare(`${MEMBERSHIP_SELECT} WHERE m.project_id = ? AND m.principal_type = ? AND m.principal_id = ?`);
  const get = db.prepare(`${MEMBERSHIP_SELECT} WHERE m.id = ?`);
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
  const list = db.prepare(
    `${MEMBERSHIP_SELECT}
     WHERE m.project_id = ? AND m.id > ?
       AND (? = '' OR m.principal_type = ?)
       AND m.status IN (SELECT value FROM json_each(?))
       AND (? = '' OR EXISTS (SELECT 1 FROM membership_roles r WHERE r.membership_id = m.id AND r.role = ?))
       AND (? = '%' OR (m.principal_type = 'user' AND lower(u.email) LIKE ? ESCAPE '\\'))
     ORDER BY m.id LIMIT ?`,
  );
  const searchWhere = `WHERE m.project_id = ? AND m.principal_type = 'user'
       AND m.status IN (SELECT value FROM json_each(?))
       AND member_matches(u.first_name, u.last_name, u.email, u.id, ?)`;
  const searchAsc = db.prepare(`${MEMBERSHIP_SELECT} ${searchWhere} ORDER BY m.id ASC LIMIT ? OFFSET ?`);
  const searchDesc = db.prepare(`${MEMBERSHIP_SELECT} ${searchWhere} ORDER BY m.id DESC LIMIT ? OFFSET ?`);
  const searchCount = db
    .prepare(`SELECT count(*) FROM memberships m LEFT JOIN users u ON u.id = m.principal_id ${searchWhere}`)
    .pluck();

  function withRoles(rows: Row[]): MembershipView[] {
    if (rows.length === 0) return [];
    const byMembership = new Map<string, MembershipRoleView[]>();
    for (const r of rolesOf.all(JSON.stringify(rows.map((m) => m.id))) as Row[]) {
      const role = toRole(r);
      const list = byMembership.get(role.membershipId);
      if (list) list.push(role);
      else byMembership.set(role.membershipId, [role]);
    }
    return rows.map((m) => toView(m, byMembership.get(m.id) ?? []));
  }
  const one = (r: Row | undefined) => (r ? withRoles([r])[0]! : null);

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
      const type = f.principalType ?? "";
      const email = likePrefix(f.emailPrefix.toLowerCase());
      const rows = list.all(
        projectId, page.after ?? "", type, type, JSON.stringify(f.statuses), f.role, f.role, email, email, page.limit,
      ) as Row[];
      return withRoles(rows);
    },
    searchUsers: (projectId, s) => {
      const statuses = JSON.stringify(s.statuses);
      const queries = JSON.stringify(s.queries);
      const stmt = s.asc ? searchAsc : searchDesc;
      const rows = stmt.all(projectId, statuses, queries, s.limit, s.offset) as Row[];
      const total = searchCount.get(projectId, statuses, queries) as number;
      return { rows: withRoles(rows), total };
    },
  };
}
