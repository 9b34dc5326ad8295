// Organization roles (ORG_OWNER and the like): who administers an
// organization and every project in it.
import { authorizeOrg, orgEffectiveRoles, permissionSet } from "../access/authorize.ts";
import { actorOf, audited, type Change, type Details } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { alreadyExists, invalidArgument, notFound } from "../kernel/errors.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import { ORG_ROLES } from "../access/permissions.ts";
import type { Repos } from "../kernel/store.ts";
import { findPrincipal, isSelf, principalNotFound, requirePrincipalRef, type PrincipalRef } from "../principals/principal-ref.ts";
import type { PrincipalType } from "../kernel/records.ts";
import { assertCanGrant } from "../access/role-assignment.ts";

export interface OrgMember {
  principalType: PrincipalType;
  principalId: string;
  roles: string[];
}

/**
 * Any user or identity of the instance may hold roles here, but a caller may
 * name only principals it may see: those of the organization of the call, of
 * an organization it holds a role in, itself, or, for instance
 * administrators, any. Any other answers exactly as an id that exists
 * nowhere, so that the RPC cannot probe other organizations for ids.
 */
async function requireVisible(tx: Repos, ctx: CallContext, p: PrincipalRef): Promise<void> {
  const found = await findPrincipal(tx, p);
  const { principal } = ctx;
  const visible =
    found !== null &&
    (principal.isInstanceAdmin ||
      found.organizationId === ctx.orgId ||
      isSelf(ctx, p) ||
      (await tx.orgMembers.rolesOf(found.organizationId, principal.type, principal.id)).length > 0);
  if (!visible) throw principalNotFound(p);
}

/** The audit event of a change to a principal's organization roles; null roles: it held none, or holds none now. */
export function orgMemberChange(orgId: string, p: { type: PrincipalType; id: string }, action: string, before: string[] | null, after: string[] | null): Change {
  const state = (roles: string[] | null) => roles && { principalType: p.type, principalId: p.id, roles };
  return { action, targetType: "org_member", targetId: `${p.type}:${p.id}`, organizationId: orgId, projectId: null, before: state(before), after: state(after) };
}

/** At least one role, each an organization role; duplicates dropped. */
export function requireOrgRoles(requested: string[]): string[] {
  if (requested.length === 0) throw invalidArgument("roles", "at least one organization role is required");
  const roles = [...new Set(requested)];
  roles.forEach((r, i) => {
    if (!ORG_ROLES[r]) throw invalidArgument(`roles[${i}]`, `unknown organization role ${r.slice(0, 64)}; one of ${Object.keys(ORG_ROLES).join(", ")}`, "role.unknown");
  });
  return roles;
}

export function createOrgMemberService(deps: Deps) {
  const details = (sequence: number, now: number, ctx: CallContext, created: boolean): Details => ({
    sequence,
    creationDate: created ? now : null,
    changeDate: created ? null : now,
    resourceOwner: ctx.orgId,
  });

  async function remove(ctx: CallContext, principal: { type: PrincipalType | null; id: string }, missingOk: boolean): Promise<Details | null> {
    const p = requirePrincipalRef(principal);
    return audited(deps, actorOf(ctx), async (tx, record, now) => {
      await authorizeOrg(tx, ctx, "org.member.write");
      const before = await tx.orgMembers.rolesOf(ctx.orgId, p.type, p.id);
      if (before.length === 0) {
        if (missingOk) return null;
        throw notFound("org_member.not_found", `${p.type} ${p.id} holds no roles in organization ${ctx.orgId}`);
      }
      await tx.orgMembers.removeAll(ctx.orgId, p.type, p.id);
      const sequence = await record(orgMemberChange(ctx.orgId, p, "org_member.removed", before, null));
      return details(sequence, now, ctx, false);
    });
  }

  return {
    async add(ctx: CallContext, input: { principal: { type: PrincipalType | null; id: string }; roles: string[] }): Promise<Details> {
      const p = requirePrincipalRef(input.principal);
      const roles = requireOrgRoles(input.roles);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.member.write");
        await requireVisible(tx, ctx, p);
        const held = permissionSet(await orgEffectiveRoles(tx, ctx.principal, ctx.orgId));
        assertCanGrant(held, new Set(roles.flatMap((r) => ORG_ROLES[r]!)));
        if ((await tx.orgMembers.rolesOf(ctx.orgId, p.type, p.id)).length > 0) {
          throw alreadyExists("org_member.already_exists", `${p.type} ${p.id} already holds roles in organization ${ctx.orgId}`);
        }
        for (const role of roles) await tx.orgMembers.add(ctx.orgId, p.type, p.id, role, now);
        const sequence = await record(orgMemberChange(ctx.orgId, p, "org_member.added", null, roles.sort()));
        return details(sequence, now, ctx, true);
      });
    },

    remove: async (ctx: CallContext, input: { principal: { type: PrincipalType | null; id: string } }): Promise<Details> =>
      (await remove(ctx, input.principal, false))!,

    /** As remove, but a principal holding no roles is a successful no-op (null). */
    removeIfPresent: (ctx: CallContext, input: { principal: { type: PrincipalType | null; id: string } }) => remove(ctx, input.principal, true),

    async list(ctx: CallContext, input: { pageSize: number; pageToken: string }) {
      const q = pageQuery(input.pageSize, input.pageToken);
      const repos = deps.store.read;
      await authorizeOrg(repos, ctx, "org.member.read");
      const result = await page(q, (p) => repos.orgMembers.listPrincipals(ctx.orgId, p), (m) => `${m.principalType}:${m.principalId}`);
      const items: OrgMember[] = [];
      for (const m of result.items) items.push({ ...m, roles: await repos.orgMembers.rolesOf(ctx.orgId, m.principalType, m.principalId) });
      return { items, nextPageToken: result.nextPageToken };
    },
  };
}

export type OrgMemberService = ReturnType<typeof createOrgMemberService>;
