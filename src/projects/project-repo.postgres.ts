// Projects and their custom roles, on PostgreSQL.
import type { ProjectRepo, RoleRepo } from "../kernel/store.ts";
import { allRows, oneRow, type Queryable, type ReadMode } from "../store/postgres/pg-sql.ts";
import { toProject, toRole } from "./project-rows.ts";

export function createProjectRepo(q: Queryable): ProjectRepo {
  return {
    insert: async (p) =>
      void (await q.query("INSERT INTO projects (id, organization_id, name, description, created_at) VALUES ($1, $2, $3, $4, $5)", [
        p.id, p.organizationId, p.name, p.description, p.createdAt,
      ])),
    listForMember: async (orgId, type, id, page) =>
      (
        await allRows(
          q,
          `SELECT p.* FROM projects p JOIN memberships m ON m.project_id = p.id
           WHERE p.organization_id = $1 AND m.principal_type = $2 AND m.principal_id = $3 AND m.status != 'deactivated' AND p.id > $4
           ORDER BY p.id LIMIT $5`,
          [orgId, type, id, page.after ?? "", page.limit],
        )
      ).map(toProject),
    get: async (id) => {
      const r = await oneRow(q, "SELECT * FROM projects WHERE id = $1", [id]);
      return r ? toProject(r) : null;
    },
    list: async (orgId, page) =>
      (await allRows(q, "SELECT * FROM projects WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3", [orgId, page.after ?? "", page.limit])).map(toProject),
  };
}

export function createRoleRepo(q: Queryable, mode: ReadMode): RoleRepo {
  const forWrite = mode.lockForWrite ? " FOR UPDATE" : "";
  const one = async (where: string, values: unknown[]) => {
    const r = await oneRow(q, `SELECT * FROM project_roles WHERE ${where}${forWrite}`, values);
    return r ? toRole(r) : null;
  };
  return {
    insert: async (r) =>
      void (await q.query(
        `INSERT INTO project_roles (id, project_id, slug, name, description, permissions, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [r.id, r.projectId, r.slug, r.name, r.description, JSON.stringify(r.permissions), r.createdAt, r.updatedAt],
      )),
    get: (id) => one("id = $1", [id]),
    findBySlug: (projectId, slug) => one("project_id = $1 AND slug = $2", [projectId, slug]),
    listByProject: async (projectId) => (await allRows(q, "SELECT * FROM project_roles WHERE project_id = $1 ORDER BY slug", [projectId])).map(toRole),
    update: async (r) =>
      void (await q.query("UPDATE project_roles SET slug = $1, name = $2, description = $3, permissions = $4, updated_at = $5 WHERE id = $6", [
        r.slug, r.name, r.description, JSON.stringify(r.permissions), r.updatedAt, r.id,
      ])),
    delete: async (id) => void (await q.query("DELETE FROM project_roles WHERE id = $1", [id])),
    assignmentCount: async (id) =>
      (await oneRow(
        q,
        `SELECT count(*) AS n FROM membership_roles r JOIN memberships m ON m.id = r.membership_id
         WHERE r.custom_role_id = $1 AND m.status != 'deactivated'`,
        [id],
      ))!.n as number,
  };
}
