// For RPCs whose request names its resource inside a message the call
// pipeline does not read (a resource oneof, a membership id): the permission
// on that resource, checked before the handler validates the rest, as route
// admission (rpc/route-admission.ts) does for a top-level project_id. The
// domain checks again where it writes. And an organization a request names
// as its resource, entered by the rule of the x-zitadel-orgid header.
import type { CallContext, Deps } from "../kernel/deps.ts";
import type { Permission } from "./permissions.ts";
import { authorizeOrg, authorizeProject } from "./authorize.ts";
import { resolveOrgScope } from "./opaque-tokens.ts";
import { authorizeNamedProject } from "./permission-anywhere.ts";
import { requireId } from "../kernel/validate.ts";

export function createResourceAccess(deps: Deps) {
  const repos = () => deps.store.read;
  return {
    /** The call acting in `orgId`, refused with PERMISSION_DENIED as the header would be. */
    async inOrganization(ctx: CallContext, orgId: string): Promise<CallContext> {
      requireId("organization_id", orgId);
      return orgId === ctx.orgId ? ctx : { ...ctx, orgId: await resolveOrgScope(repos(), ctx.principal, orgId) };
    },

    /** `permission` in the organization of the call. */
    admitOrganization: (ctx: CallContext, permission: Permission) => authorizeOrg(repos(), ctx, permission),

    /** `permission` on the project, which must be in the organization of the call. */
    admitProject: async (ctx: CallContext, projectId: string, permission: Permission) => {
      await authorizeNamedProject(repos(), ctx, projectId, permission, deps.clock.now());
    },

    /**
     * `permission` on the project of the membership. A membership that is not
     * in the organization of the call is left for the domain to answer: it
     * answers as for one that does not exist.
     */
    async admitMembership(ctx: CallContext, membershipId: string, permission: Permission): Promise<void> {
      const m = membershipId === "" ? null : await repos().memberships.get(membershipId);
      if (m && m.organizationId === ctx.orgId) await authorizeProject(repos(), ctx, m.projectId, permission, deps.clock.now());
    },
  };
}

export type ResourceAccess = ReturnType<typeof createResourceAccess>;
