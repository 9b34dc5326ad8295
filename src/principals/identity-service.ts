// Machine identities of an organization.
import { authorizeOrg } from "../access/authorize.ts";
import { actorOf, audited, created, removal, updated, type Details } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { notFound } from "../kernel/errors.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { IdentityRecord } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";
import { requireId, requireText } from "../kernel/validate.ts";
import { deletePrincipalIn } from "./principal-removal.ts";

/** The identity, when it belongs to the organization of the call; any other answers alike. */
async function identityInOrg(repos: Repos, ctx: CallContext, id: string): Promise<IdentityRecord> {
  const identity = await repos.identities.get(id);
  if (!identity || identity.organizationId !== ctx.orgId) throw notFound("identity.not_found", `identity ${id} not found`);
  return identity;
}

export function createIdentityService(deps: Deps) {
  return {
    async create(ctx: CallContext, input: { name: string }): Promise<IdentityRecord> {
      const name = requireText("name", input.name, 200);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.identity.write");
        const identity: IdentityRecord = { id: deps.ids.next(), organizationId: ctx.orgId, name, createdAt: now };
        await tx.identities.insert(identity);
        await record(created("identity", identity.id, ctx.orgId, { id: identity.id, name }));
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
      return identityInOrg(repos, ctx, id);
    },

    /** An undefined name keeps the current one; the same name again writes nothing. */
    async update(ctx: CallContext, input: { identityId: string; name?: string | undefined }): Promise<IdentityRecord> {
      requireId("identity_id", input.identityId);
      const name = input.name === undefined ? undefined : requireText("name", input.name, 200);
      return audited(deps, actorOf(ctx), async (tx, record) => {
        await authorizeOrg(tx, ctx, "org.identity.write");
        const identity = await identityInOrg(tx, ctx, input.identityId);
        if (name === undefined || name === identity.name) return identity;
        const next = { ...identity, name };
        await tx.identities.update(next);
        await record(updated("identity", identity.id, ctx.orgId, { id: identity.id, name: identity.name }, { id: identity.id, name }));
        return next;
      });
    },

    /** Deletes the identity with its memberships, organization roles and tokens (principal-removal.ts). */
    async delete(ctx: CallContext, identityId: string): Promise<Details> {
      requireId("identity_id", identityId);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.identity.write");
        const identity = await identityInOrg(tx, ctx, identityId);
        return removal(await deletePrincipalIn(tx, record, { type: "identity", record: identity }, now), now, ctx.orgId);
      });
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
