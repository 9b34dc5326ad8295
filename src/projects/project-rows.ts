// Rows of projects and custom roles as records, the same for both stores.
import type { CustomRoleRecord, ProjectRecord, Row } from "../kernel/records.ts";

export const toProject = (r: Row): ProjectRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
});

export const toRole = (r: Row): CustomRoleRecord => ({
  id: r.id,
  projectId: r.project_id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  permissions: JSON.parse(r.permissions) as string[],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
