// Each project's role catalog: the built-ins and its custom roles.
import { authorizeProject } from "../access/authorize.ts";
import { actorOf, audited } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../kernel/errors.ts";
import { BUILT_IN_PROJECT_ROLES, builtInRole, isProjectPermission } from "../access/permissions.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { Repos } from "../kernel/store.ts";
import type { CustomRoleRecord } from "../kernel/records.ts";
import { assertCanGrant } from "../access/role-assignment.ts";
import { requireId, requireSlug, requireText } from "../kernel/validate.ts";

/** A catalog entry: built-ins have no id and no times. */
export interface CatalogRole {
  id: string;
  slug: string;
  name: string;
  description: string;
  permissions: string[];
  builtIn: boolean;
  createdAt: number | null;
  updatedAt: number | null;
}

function requirePermissions(field: string, permissions: string[]): string[] {
  if (permissions.length > 100) throw invalidArgument(field, "at most 100 permissions");
  permissions.forEach((p, i) => {
    if (!isProjectPermission(p)) throw invalidArgument(`${field}[${i}]`, `unknown project permission ${p.slice(0, 80)}`);
  });
  return [...new Set(permissions)].sort();
}

function requireCustomSlug(slug: string): string {
  requireSlug("slug", slug);
  if (builtInRole(slug)) throw invalidArgument("slug", `${slug} is a built-in role`);
  return slug;
}

async function requireRole(tx: Repos, projectId: string, roleId: string): Promise<CustomRoleRecord> {
  const role = await tx.roles.get(roleId);
  if (!role || role.projectId !== projectId) throw notFound("role.not_found", `role ${roleId} not found in project ${projectId}`);
  return role;
}

const toCatalog = (r: CustomRoleRecord): CatalogRole => ({ ...r, builtIn: false });

export function createProjectRoleService(deps: Deps) {
  const audit = (action: string, role: CustomRoleRecord, orgId: string, before: unknown, after: unknown) => ({
    action,
    targetType: "role",
    targetId: role.id,
    organizationId: orgId,
    projectId: role.projectId,
    before,
    after,
  });

  return {
    async create(
      ctx: CallContext,
      input: { projectId: string; slug: string; name: string; description: string; permissions: string[] },
    ): Promise<CatalogRole> {
      requireId("project_id", input.projectId);
      const slug = requireCustomSlug(input.slug);
      const name = requireText("name", input.name, 200);
      const description = requireText("description", input.description, 1000, 0);
      const permissions = requirePermissions("permissions", input.permissions);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        const { project, held } = await authorizeProject(tx, ctx, input.projectId, "project.role.write", now);
        assertCanGrant(held, new Set(permissions));
        if (await tx.roles.findBySlug(project.id, slug)) throw alreadyExists("role.slug_taken", `role ${slug} already exists`);
        const role: CustomRoleRecord = {
          id: deps.ids.next(),
          projectId: project.id,
          slug,
          name,
          description,
          permissions,
          createdAt: now,
          updatedAt: now,
        };
        await tx.roles.insert(role);
        await record(audit("role.created", role, project.organizationId, null, { ...role }));
        return toCatalog(role);
      });
    },

    /** Keyset-paged: built-ins keep their catalog order, custom roles follow by slug. */
    async list(ctx: CallContext, input: { projectId: string; pageSize: number; pageToken: string }) {
      const projectId = requireId("project_id", input.projectId);
      const q = pageQuery(input.pageSize, input.pageToken);
      const repos = deps.store.read;
      const { project } = await authorizeProject(repos, ctx, projectId, "project.role.read", deps.clock.now());
      const builtIns: CatalogRole[] = BUILT_IN_PROJECT_ROLES.map((r) => ({
        id: "",
        slug: r.slug,
        name: r.name,
        description: r.description,
        permissions: [...r.permissions],
        builtIn: true,
        createdAt: null,
        updatedAt: null,
      }));
      const custom = (await repos.roles.listByProject(project.id)).map(toCatalog);
      const keyed = [...builtIns, ...custom].map((role, i) => ({ role, key: role.builtIn ? `0${String(i).padStart(3, "0")}` : `1${role.slug}` }));
      const result = await page(
        q,
        (p) => keyed.filter((k) => p.after === null || k.key > p.after).slice(0, p.limit),
        (k) => k.key,
      );
      return { items: result.items.map((k) => k.role), nextPageToken: result.nextPageToken };
    },

    async update(
      ctx: CallContext,
      input: { projectId: string; roleId: string; slug?: string; name?: string; description?: string; permissions?: string[] },
    ): Promise<CatalogRole> {
      requireId("project_id", input.projectId);
      requireId("role_id", input.roleId);
      const slug = input.slug === undefined ? undefined : requireCustomSlug(input.slug);
      const name = input.name === undefined ? undefined : requireText("name", input.name, 200);
      const description = input.description === undefined ? undefined : requireText("description", input.description, 1000, 0);
      const permissions = input.permissions === undefined ? undefined : requirePermissions("permissions", input.permissions);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        const { project, held } = await authorizeProject(tx, ctx, input.projectId, "project.role.write", now);
        const before = await requireRole(tx, project.id, input.roleId);
        if (permissions) assertCanGrant(held, new Set(permissions));
        if (slug !== undefined && slug !== before.slug && (await tx.roles.findBySlug(project.id, slug))) {
          throw alreadyExists("role.slug_taken", `role ${slug} already exists`);
        }
        const after: CustomRoleRecord = {
          ...before,
          slug: slug ?? before.slug,
          name: name ?? before.name,
          description: description ?? before.description,
          permissions: permissions ?? before.permissions,
          updatedAt: now,
        };
        await tx.roles.update(after);
        await record(audit("role.updated", after, project.organizationId, { ...before }, { ...after }));
        return toCatalog(after);
      });
    },

    /** Refused while any membership that is not deactivated holds the role. */
    async delete(ctx: CallContext, input: { projectId: string; roleId: string }): Promise<CatalogRole> {
      requireId("project_id", input.projectId);
      requireId("role_id", input.roleId);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        const { project } = await authorizeProject(tx, ctx, input.projectId, "project.role.delete", now);
        const role = await requireRole(tx, project.id, input.roleId);
        const holders = await tx.roles.assignmentCount(role.id);
        if (holders > 0) {
          throw failedPrecondition("role.assigned", `role ${role.slug} is assigned to ${holders} membership(s); remove it from them first`);
        }
        await tx.roles.delete(role.id);
        await record(audit("role.deleted", role, project.organizationId, { ...role }, null));
        return toCatalog(role);
      });
    },
  };
}

export type ProjectRoleService = ReturnType<typeof createProjectRoleService>;
