// Projects and their custom roles.
import type { Database } from "better-sqlite3";
import type { ProjectRepo, RoleRepo } from "../kernel/store.ts";
import type { Row } from "../store/sqlite/sql.ts";
import { toProject, toRole } from "./project-rows.ts";

export function createProjectRepo(db: Database): ProjectRepo {
  const insert = db.prepare("INSERT INTO projects (id, organization_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)");
  const get = db.prepare("SELECT * FROM projects WHERE id = ?");
  const list = db.prepare("SELECT * FROM projects WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?");
  const listForMember = db.prepare(
    `SELECT p.* FROM projects p JOIN memberships m ON m.project_id = p.id
     WHERE p.organization_id = ? AND m.principal_type = ? AND m.principal_id = ? AND m.status != 'deactivated' AND p.id > ?
     ORDER BY p.id LIMIT ?`,
  );
  return {
    insert: (p) => void insert.run(p.id, p.organizationId, p.name, p.description, p.createdAt),
    listForMember: (orgId, type, id, page) =>
      listForMember.all(orgId, type, id, page.after ?? "", page.limit).map((r) => toProject(r as Row)),
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toProject(r) : null;
    },
    list: (orgId, page) => list.all(orgId, page.after ?? "", page.limit).map((r) => toProject(r as Row)),
  };
}

export function createRoleRepo(db: Database): RoleRepo {
  const insert = db.prepare(
    `INSERT INTO project_roles (id, project_id, slug, name, description, permissions, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const get = db.prepare("SELECT * FROM project_roles WHERE id = ?");
  const bySlug = db.prepare("SELECT * FROM project_roles WHERE project_id = ? AND slug = ?");
  const list = db.prepare("SELECT * FROM project_roles WHERE project_id = ? ORDER BY slug");
  const update = db.prepare(
    "UPDATE project_roles SET slug = ?, name = ?, description = ?, permissions = ?, updated_at = ? WHERE id = ?",
  );
  const del = db.prepare("DELETE FROM project_roles WHERE id = ?");
  const assigned = db
    .prepare(
      `SELECT count(*) FROM membership_roles r JOIN memberships m ON m.id = r.membership_id
       WHERE r.custom_role_id = ? AND m.status != 'deactivated'`,
    )
    .pluck();
  return {
    insert: (r) =>
      void insert.run(r.id, r.projectId, r.slug, r.name, r.description, JSON.stringify(r.permissions), r.createdAt, r.updatedAt),
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toRole(r) : null;
    },
    findBySlug: (projectId, slug) => {
      const r = bySlug.get(projectId, slug) as Row | undefined;
      return r ? toRole(r) : null;
    },
    listByProject: (projectId) => list.all(projectId).map((r) => toRole(r as Row)),
    update: (r) => void update.run(r.slug, r.name, r.description, JSON.stringify(r.permissions), r.updatedAt, r.id),
    delete: (id) => void del.run(id),
    assignmentCount: (id) => assigned.get(id) as number,
  };
}
