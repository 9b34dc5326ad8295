// Permission evaluation: what a principal may do in an organization and in a
// project, right now. Instance administrators hold everything; organization
// roles apply to the organization and every project in it; a project
// membership grants only while ACTIVE, and each role only inside its window.
import type { CallContext, Principal } from "../kernel/deps.ts";
import { notFound, permissionDenied } from "../kernel/errors.ts";
import { ALL_PERMISSIONS, ORG_ROLES, builtInRole, type Permission } from "./permissions.ts";
import type { Repos } from "../kernel/store.ts";
import type { MembershipView, PrincipalType, ProjectRecord } from "../kernel/records.ts";
import { isWithinWindow } from "./temporary-range.ts";

export interface EffectiveRole {
  role: string;
  /** End of the window for temporary roles. */
  expiresAt: number | null;
  permissions: string[];
}

/** Roles that grant from the organization: org roles, or everything for instance administrators. */
export async function orgEffectiveRoles(repos: Repos, p: Principal | { type: PrincipalType; id: string; isInstanceAdmin: boolean }, orgId: string): Promise<EffectiveRole[]> {
  if (p.isInstanceAdmin) return [{ role: "INSTANCE_ADMIN", expiresAt: null, permissions: [...ALL_PERMISSIONS] }];
  return (await repos.orgMembers.rolesOf(orgId, p.type, p.id)).map((role) => ({ role, expiresAt: null, permissions: [...(ORG_ROLES[role] ?? [])] }));
}

/**
 * Roles of a membership that grant at `now`: none unless it is ACTIVE, and a
 * temporary role only inside its window. Custom roles are read only when the
 * membership holds some.
 */
export async function membershipEffectiveRoles(repos: Repos, m: MembershipView, now: number): Promise<EffectiveRole[]> {
  if (m.status !== "active") return [];
  const out: EffectiveRole[] = [];
  for (const r of m.roles) {
    if (r.isTemporary && !isWithinWindow(now, r.startAt, r.endAt)) continue;
    const permissions = r.customRoleId
      ? ((await repos.roles.get(r.customRoleId))?.permissions ?? [])
      : [...(builtInRole(r.role)?.permissions ?? [])];
    out.push({ role: r.role, expiresAt: r.isTemporary ? r.endAt : null, permissions });
  }
  return out;
}

/** Everything a principal holds in a project now: org roles plus membership roles. */
export async function projectEffectiveRoles(
  repos: Repos,
  p: { type: PrincipalType; id: string; isInstanceAdmin: boolean },
  project: ProjectRecord,
  now: number,
): Promise<EffectiveRole[]> {
  const fromOrg = await orgEffectiveRoles(repos, p, project.organizationId);
  const membership = await repos.memberships.find(project.id, p.type, p.id);
  return membership ? [...fromOrg, ...(await membershipEffectiveRoles(repos, membership, now))] : fromOrg;
}

export const permissionSet = (roles: EffectiveRole[]) => new Set(roles.flatMap((r) => r.permissions));

/**
 * The project, when it is in the organization of the call. A project of
 * another organization answers NOT_FOUND so that its existence never leaks.
 */
export async function projectInScope(repos: Repos, ctx: CallContext, projectId: string): Promise<ProjectRecord> {
  const project = await repos.projects.get(projectId);
  if (!project || project.organizationId !== ctx.orgId) {
    throw notFound("project.not_found", `project ${projectId} not found`);
  }
  return project;
}

/** Loads the project in scope and checks that the caller holds `permission` in it; returns what it held. */
export async function authorizeProject(
  repos: Repos,
  ctx: CallContext,
  projectId: string,
  permission: Permission,
  now: number,
): Promise<{ project: ProjectRecord; held: Set<string> }> {
  const project = await projectInScope(repos, ctx, projectId);
  const held = permissionSet(await projectEffectiveRoles(repos, ctx.principal, project, now));
  if (!held.has(permission)) {
    throw permissionDenied("permission.missing", `missing permission ${permission} on project ${projectId}`);
  }
  return { project, held };
}

/** Whether the caller holds an organization-level permission in the organization of the call. */
export async function holdsInOrg(repos: Repos, ctx: CallContext, permission: Permission): Promise<boolean> {
  return permissionSet(await orgEffectiveRoles(repos, ctx.principal, ctx.orgId)).has(permission);
}

/** Checks an organization-level permission of the caller in the organization of the call. */
export async function authorizeOrg(repos: Repos, ctx: CallContext, permission: Permission): Promise<void> {
  if (!(await holdsInOrg(repos, ctx, permission))) {
    throw permissionDenied("permission.missing", `missing permission ${permission} in organization ${ctx.orgId}`);
  }
}
