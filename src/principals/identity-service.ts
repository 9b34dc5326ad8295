// Machine identities of an organization.
import { authorizeOrg } from "../access/authorize.ts";
import { actorOf, audited } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { notFound } from "../kernel/errors.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { IdentityRecord } from "../kernel/records.ts";
import { requireId, requireText } from "../kernel/validate.ts";

export function createIdentityService(deps: Deps) {
  return {
    async create(ctx: CallContext, input: { name: string }): Promise<IdentityRecord> {
      const name = requireText("name", input.name, 200);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.identity.write");
        const identity: IdentityRecord = { id: deps.ids.next(), organizationId: ctx.orgId, name, createdAt: now };
        await tx.identities.insert(identity);
        await record({
          action: "identity.created",
          targetType: "identity",
          targetId: identity.id,
          organizationId: ctx.orgId,
          projectId: null,
          before: null,
          after: { id: identity.id, name },
        });
        return identity;
      });
    },

    /** An identity may read its own record; others need org.identity.read, checked before the id. */
    async get(ctx: CallContext, id: string): Promise<IdentityRecord> {
      const repos = deps.store.read;
      if (!(ctx.principal.type === "identity" && ctx.principal.id === id)) {
        await authorizeOrg(repos, ctx, "org.identity.read");
      }
      requireId("identity_id", id);
      const identity = await repos.identities.get(id);
      if (!identity || identity.organizationId !== ctx.orgId) throw notFound("identity.not_found", `identity ${id} not found`);
      return identity;
    },

    async list(ctx: CallContext, input: { pageSize: number; pageToken: string }) {
      const q = pageQuery(input.pageSize, input.pageToken);
      const repos = deps.store.read;
      await authorizeOrg(repos, ctx, "org.identity.read");
      return page(q, (p) => repos.identities.list(ctx.orgId, p), (i) => i.id);
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
