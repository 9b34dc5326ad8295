// Calls that name their resource by id (a project, a membership, an
// organization) may act in the organization that owns it rather than in the
// organization of the call. The caller must be allowed there exactly as if it
// had named that organization in x-zitadel-orgid; a resource in an
// organization the caller may not enter answers as one that does not exist,
// so ids of other organizations cannot be probed.
import type { CallContext, Deps } from "../kernel/deps.ts";
import { DomainError, notFound } from "../kernel/errors.ts";
import { requireId } from "../kernel/validate.ts";
import { resolveOrgScope } from "./authenticate.ts";

export function createCallScope(deps: Deps) {
  const repos = () => deps.store.read;

  const scoped = async (ctx: CallContext, orgId: string): Promise<CallContext> =>
    orgId === ctx.orgId ? ctx : { ...ctx, orgId: await resolveOrgScope(repos(), ctx.principal, orgId) };

  /** The call moved to `orgId`, or `orElse` when the caller may not act there. */
  async function moveTo(ctx: CallContext, orgId: string, orElse: () => DomainError): Promise<CallContext> {
    try {
      return await scoped(ctx, orgId);
    } catch (err) {
      if (err instanceof DomainError && err.kind === "permission_denied") throw orElse();
      throw err;
    }
  }

  return {
    /** The call in `orgId`, refused with PERMISSION_DENIED as the header would be. */
    async inOrganization(ctx: CallContext, orgId: string): Promise<CallContext> {
      return scoped(ctx, requireId("organization_id", orgId));
    },

    /** The call in the organization that owns the project. */
    async ofProject(ctx: CallContext, projectId: string): Promise<CallContext> {
      requireId("project_id", projectId);
      const missing = () => notFound("project.not_found", `project ${projectId} not found`);
      const project = await repos().projects.get(projectId);
      if (!project) throw missing();
      return moveTo(ctx, project.organizationId, missing);
    },

    /** The call in the organization of the membership. */
    async ofMembership(ctx: CallContext, membershipId: string): Promise<CallContext> {
      requireId("membership_id", membershipId);
      const missing = () => notFound("membership.not_found", `membership ${membershipId} not found`);
      const membership = await repos().memberships.get(membershipId);
      if (!membership) throw missing();
      return moveTo(ctx, membership.organizationId, missing);
    },
  };
}

export type CallScope = ReturnType<typeof createCallScope>;
