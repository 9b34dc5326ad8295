// A principal named by its id alone, as APIs that say "identity" for both
// users and machine identities do (Canopy's /identities/{id}). Ids are unique
// across both kinds, so at most one matches.
import type { CallContext, Deps } from "../kernel/deps.ts";
import { requireId } from "../kernel/validate.ts";
import { principalNotFound, type PrincipalRef } from "./principal-ref.ts";

export function createPrincipalLookup(deps: Deps) {
  return {
    /** The user or machine identity with this id in the organization of the call; NOT_FOUND otherwise, wherever else it may be. */
    async inOrganization(ctx: CallContext, id: string, field = "identity_id"): Promise<PrincipalRef> {
      requireId(field, id);
      const repos = deps.store.read;
      const identity = await repos.identities.get(id);
      if (identity?.organizationId === ctx.orgId) return { type: "identity", id };
      const user = identity ? null : await repos.users.get(id);
      if (user?.organizationId === ctx.orgId) return { type: "user", id };
      throw principalNotFound({ type: "identity", id });
    },
  };
}

export type PrincipalLookup = ReturnType<typeof createPrincipalLookup>;
