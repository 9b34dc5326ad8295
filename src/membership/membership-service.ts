// Project membership use cases for users and identities. Writes hand off to
// membership-writes.ts; this file maps the two request shapes onto it and
// serves the reads.
import { authorizeProject } from "../access/authorize.ts";
import type { Details } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { invalidArgument, notFound } from "../kernel/errors.ts";
import {
  acceptInvitation,
  createMembership,
  deactivateMembership,
  replaceMembershipRoles,
  transitionMembership,
  validateTarget,
  type MembershipWrite,
} from "./membership-commands.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, page, pageQuery } from "../kernel/paging.ts";
import { BUILT_IN_PROJECT_ROLES } from "../access/permissions.ts";
import type { MemberSearch, MembershipFilter } from "../kernel/store.ts";
import type { MembershipStatus, MembershipView } from "../kernel/records.ts";
import type { RoleRequest } from "../access/role-assignment.ts";
import { requireId } from "../kernel/validate.ts";

export const DEFAULT_STATUSES: MembershipStatus[] = ["active", "invited", "suspended"];

export function detailsOf(w: MembershipWrite, kind: "created" | "changed"): Details {
  return {
    sequence: w.sequence,
    creationDate: kind === "created" ? w.now : null,
    changeDate: kind === "changed" ? w.now : null,
    resourceOwner: w.project.organizationId,
  };
}

function checkFilter(f: MembershipFilter): MembershipFilter {
  if (f.role.length > 64) throw invalidArgument("filter.role", "must be at most 64 characters");
  if (f.emailPrefix.length > 320) throw invalidArgument("filter.email_prefix", "must be at most 320 characters");
  return { ...f, statuses: f.statuses.length > 0 ? [...new Set(f.statuses)] : DEFAULT_STATUSES };
}

export function createMembershipService(deps: Deps) {
  const user = (id: string) => ({ type: "user" as const, id });
  const identity = (id: string) => ({ type: "identity" as const, id });

  async function list(ctx: CallContext, projectId: string, filter: MembershipFilter, pageSize: number, pageToken: string) {
    requireId("project_id", projectId);
    const q = pageQuery(pageSize, pageToken);
    const f = checkFilter(filter);
    const repos = deps.store.read;
    const { project } = await authorizeProject(repos, ctx, projectId, "project.member.read", deps.clock.now());
    return page(q, (p) => repos.memberships.list(project.id, f, p), (m) => m.id);
  }

  return {
    addProjectMember: (ctx: CallContext, i: { projectId: string; userId: string; roles: RoleRequest[] }) =>
      createMembership(deps, ctx, {
        projectId: i.projectId,
        principal: user(i.userId),
        roles: i.roles,
        status: "active",
      }),

    inviteProjectMember: (ctx: CallContext, i: { projectId: string; userId: string; roles: RoleRequest[] }) =>
      createMembership(deps, ctx, {
        projectId: i.projectId,
        principal: user(i.userId),
        roles: i.roles,
        status: "invited",
      }),

    acceptProjectInvitation: (ctx: CallContext, projectId: string) => acceptInvitation(deps, ctx, projectId),

    updateProjectMember: (ctx: CallContext, i: { projectId: string; userId: string; roles: RoleRequest[] }) =>
      replaceMembershipRoles(deps, ctx, {
        projectId: i.projectId,
        principal: user(i.userId),
        roles: i.roles,
      }),

    removeProjectMember: (ctx: CallContext, i: { projectId: string; userId: string; missingOk: boolean }) =>
      deactivateMembership(deps, ctx, { projectId: i.projectId, principal: user(i.userId), missingOk: i.missingOk }),

    listMemberships: (ctx: CallContext, i: { projectId: string; filter: MembershipFilter; pageSize: number; pageToken: string }) =>
      list(ctx, i.projectId, i.filter, i.pageSize, i.pageToken),

    createIdentityMembership: (ctx: CallContext, i: { projectId: string; identityId: string; roles: RoleRequest[] }) =>
      createMembership(deps, ctx, {
        projectId: i.projectId,
        principal: identity(i.identityId),
        roles: i.roles,
        status: "active",
      }),

    async getIdentityMembership(ctx: CallContext, i: { projectId: string; identityId: string }): Promise<MembershipView> {
      validateTarget(i.projectId, identity(i.identityId));
      const repos = deps.store.read;
      await authorizeProject(repos, ctx, i.projectId, "project.member.read", deps.clock.now());
      const m = await repos.memberships.find(i.projectId, "identity", i.identityId);
      if (!m) throw notFound("membership.not_found", `identity ${i.identityId} is not a member of project ${i.projectId}`);
      return m;
    },

    updateIdentityMembership(ctx: CallContext, i: { projectId: string; identityId: string; roles: RoleRequest[] }) {
      if (i.roles.length === 0) throw invalidArgument("roles", "at least one role is required");
      return replaceMembershipRoles(deps, ctx, {
        projectId: i.projectId,
        principal: identity(i.identityId),
        roles: i.roles,
      });
    },

    listIdentityMemberships: (ctx: CallContext, i: { projectId: string; filter: MembershipFilter; pageSize: number; pageToken: string }) =>
      list(ctx, i.projectId, { ...i.filter, principalType: "identity" }, i.pageSize, i.pageToken),

    deleteIdentityMembership: (ctx: CallContext, i: { projectId: string; identityId: string }) =>
      deactivateMembership(deps, ctx, { projectId: i.projectId, principal: identity(i.identityId), missingOk: false }),

    /**
     * User members by offset, with text conditions and a total.
     * `processedSequence` is the latest sequence the read reflects.
     */
    async searchUserMembers(ctx: CallContext, i: { projectId: string } & Omit<MemberSearch, "statuses">) {
      requireId("project_id", i.projectId);
      if (i.limit > MAX_PAGE_SIZE) throw invalidArgument("query.limit", `must be at most ${MAX_PAGE_SIZE}`);
      if (!Number.isSafeInteger(i.offset) || i.offset < 0) throw invalidArgument("query.offset", "is out of range");
      i.queries.forEach((q, n) => {
        if (q.value.length > 200) throw invalidArgument(`queries[${n}]`, "must be at most 200 characters");
      });
      if (i.queries.length > 20) throw invalidArgument("queries", "at most 20 queries");
      const repos = deps.store.read;
      const now = deps.clock.now();
      const { project } = await authorizeProject(repos, ctx, i.projectId, "project.member.read", now);
      const processedSequence = await repos.audit.latestSequence();
      const search = { offset: i.offset, limit: i.limit === 0 ? DEFAULT_PAGE_SIZE : i.limit, asc: i.asc, queries: i.queries };
      const { rows, total } = await repos.memberships.searchUsers(project.id, { ...search, statuses: DEFAULT_STATUSES });
      return { project, rows, total, processedSequence, viewedAt: now };
    },

    /** The slugs of the roles every project has, and when they were read. */
    builtInRoles: () => ({ roles: BUILT_IN_PROJECT_ROLES.map((r) => r.slug), viewedAt: deps.clock.now() }),

    /** One membership of the organization of the call, by id: the caller's own, or one of a project where it may read members. */
    async getMembership(ctx: CallContext, membershipId: string): Promise<MembershipView> {
      requireId("membership_id", membershipId);
      const repos = deps.store.read;
      const m = await repos.memberships.get(membershipId);
      if (!m || m.organizationId !== ctx.orgId) throw notFound("membership.not_found", `membership ${membershipId} not found`);
      const own = m.principalType === ctx.principal.type && m.principalId === ctx.principal.id;
      if (!own) await authorizeProject(repos, ctx, m.projectId, "project.member.read", deps.clock.now());
      return m;
    },

    suspendMembership: (ctx: CallContext, membershipId: string) => transitionMembership(deps, ctx, membershipId, "suspend"),
    resumeMembership: (ctx: CallContext, membershipId: string) => transitionMembership(deps, ctx, membershipId, "resume"),
  };
}

export type MembershipService = ReturnType<typeof createMembershipService>;
