// Memberships across the projects of an organization, as far as the caller
// may see them: every project's members for a caller reading members
// organization-wide, else those of the projects where it may read members,
// and always the caller's own memberships. What a list spanning projects
// (by role, by principal) needs.
import { orgEffectiveRoles, permissionSet, projectEffectiveRoles } from "../access/authorize.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { invalidArgument } from "../kernel/errors.ts";
import type { MembershipStatus, MembershipView, PrincipalType, ProjectRecord } from "../kernel/records.ts";
import { DEFAULT_STATUSES } from "./membership-service.ts";

export interface OrgMembershipQuery {
  principalType: PrincipalType;
  /** Null for every project of the organization. */
  projectIds: string[] | null;
  principalIds: string[] | null;
  /** Memberships holding any of these roles; null for any. */
  roles: string[] | null;
  /** Empty for those that are not deactivated. */
  statuses: MembershipStatus[];
}

const MAX_LIST = 1000;

function checkList(field: string, list: string[] | null): void {
  if (list && list.length > MAX_LIST) throw invalidArgument(field, `at most ${MAX_LIST} entries`);
}

export function createMembershipOrgSearch(deps: Deps) {
  return {
    async visibleInOrganization(ctx: CallContext, q: OrgMembershipQuery) {
      checkList("project_ids", q.projectIds);
      checkList("principal_ids", q.principalIds);
      checkList("roles", q.roles);
      const repos = deps.store.read;
      const now = deps.clock.now();
      const rows = await repos.memberships.listInOrganization(ctx.orgId, { ...q, statuses: q.statuses.length > 0 ? q.statuses : DEFAULT_STATUSES });
      const orgWide = permissionSet(await orgEffectiveRoles(repos, ctx.principal, ctx.orgId)).has("project.member.read");
      const projects = new Map<string, ProjectRecord>();
      const readable = new Set<string>();
      for (const projectId of new Set(rows.map((m) => m.projectId))) {
        const project = (await repos.projects.get(projectId))!;
        projects.set(projectId, project);
        if (orgWide || permissionSet(await projectEffectiveRoles(repos, ctx.principal, project, now)).has("project.member.read")) readable.add(projectId);
      }
      const own = (m: MembershipView) => m.principalType === ctx.principal.type && m.principalId === ctx.principal.id;
      return { rows: rows.filter((m) => readable.has(m.projectId) || own(m)), projects, viewedAt: now };
    },
  };
}

export type MembershipOrgSearch = ReturnType<typeof createMembershipOrgSearch>;
