// Organizations: created by instance administrators, visible to the principals
// that hold a role in them.
import { actorOf, audited, created } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { notFound, permissionDenied } from "../kernel/errors.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { OrgRecord } from "../kernel/records.ts";
import { requireId, requireSlug, requireText } from "../kernel/validate.ts";
import { chooseSlug } from "./org-slug.ts";
import { resolveOrgScope } from "../access/opaque-tokens.ts";

export function createOrganizationService(deps: Deps) {
  /** Organizations the caller may see: all for instance administrators, else its own and those it holds a role in. */
  async function visibleOrgIds(ctx: CallContext): Promise<string[] | null> {
    if (ctx.principal.isInstanceAdmin) return null;
    const { principal } = ctx;
    const granted = await deps.store.read.orgMembers.orgsOf(principal.type, principal.id);
    return [...new Set([principal.organizationId, ...granted])];
  }

  return {
    /** `slug` empty: one is derived from the name. */
    async create(ctx: CallContext, input: { name: string; slug?: string }): Promise<OrgRecord> {
      if (!ctx.principal.isInstanceAdmin) {
        throw permissionDenied("permission.missing", "only instance administrators create organizations");
      }
      const name = requireText("name", input.name, 200);
      const asked = input.slug ?? "";
      if (asked !== "") requireSlug("slug", asked);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        const slug = await chooseSlug(asked, name, async (s) => (await tx.orgs.findBySlug(s)) !== null);
        const org: OrgRecord = { id: deps.ids.next(), name, slug, createdAt: now };
        await tx.orgs.insert(org);
        await record(created("organization", org.id, org.id, { ...org }));
        return org;
      });
    },

    async get(ctx: CallContext, id: string): Promise<OrgRecord> {
      requireId("organization_id", id);
      const visible = await visibleOrgIds(ctx);
      const org = await deps.store.read.orgs.get(id);
      if (!org || (visible && !visible.includes(id))) throw notFound("organization.not_found", `organization ${id} not found`);
      return org;
    },

    /**
     * The organization with this slug, for a caller that may act in it (the
     * rule of x-zitadel-orgid); one it may not act in answers as one that
     * does not exist, so slugs of other organizations cannot be probed.
     */
    async bySlug(ctx: CallContext, slug: string): Promise<OrgRecord> {
      const repos = deps.store.read;
      const org = slug.length > 64 ? null : await repos.orgs.findBySlug(slug);
      const missing = () => notFound("organization.not_found", `no organization has the slug ${slug.slice(0, 64)}`);
      if (!org) throw missing();
      if (org.id === ctx.orgId) return org;
      try {
        await resolveOrgScope(repos, ctx.principal, org.id);
      } catch {
        throw missing();
      }
      return org;
    },

    async list(ctx: CallContext, input: { pageSize: number; pageToken: string }) {
      const q = pageQuery(input.pageSize, input.pageToken);
      const visible = await visibleOrgIds(ctx);
      return page(q, (p) => deps.store.read.orgs.list(p, visible), (o) => o.id);
    },
  };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;
