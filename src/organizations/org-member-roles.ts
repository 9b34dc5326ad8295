// Organization roles per principal as a whole: replacing them, and listing an
// organization's members with their users and the times of their roles, for
// lists that filter and sort on them.
import { authorizeOrg, orgEffectiveRoles, permissionSet } from "../access/authorize.ts";
import { ORG_ROLES } from "../access/permissions.ts";
import { assertCanGrant } from "../access/role-assignment.ts";
import { actorOf, audited } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { notFound } from "../kernel/errors.ts";
import type { IdentityRecord, OrgRecord, PrincipalType, UserRecord } from "../kernel/records.ts";
import type { OrgGrant } from "../kernel/store.ts";
import { requirePrincipalRef } from "../principals/principal-ref.ts";
import { orgMemberChange, requireOrgRoles } from "./org-member-service.ts";

export interface OrgMemberDetail {
  principalType: PrincipalType;
  principalId: string;
  roles: string[];
  /** When its oldest role was granted. */
  createdAt: number;
  /** When its newest role was granted. */
  updatedAt: number;
  user: UserRecord | null;
  identity: IdentityRecord | null;
}

const times = (grants: OrgGrant[]) => ({
  createdAt: Math.min(...grants.map((g) => g.createdAt)),
  updatedAt: Math.max(...grants.map((g) => g.createdAt)),
});

export function createOrgMemberRoles(deps: Deps) {
  return {
    /**
     * Replaces every organization role of a member; roles it keeps keep
     * their time. The same roles again is a no-op that succeeds.
     */
    async replace(ctx: CallContext, input: { principal: { type: PrincipalType | null; id: string }; roles: string[] }) {
      const p = requirePrincipalRef(input.principal);
      const roles = requireOrgRoles(input.roles).sort();
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.member.write");
        const before = await tx.orgMembers.grants(ctx.orgId, p);
        if (before.length === 0) throw notFound("org_member.not_found", `${p.type} ${p.id} holds no roles in organization ${ctx.orgId}`);
        assertCanGrant(permissionSet(await orgEffectiveRoles(tx, ctx.principal, ctx.orgId)), new Set(roles.flatMap((r) => ORG_ROLES[r]!)));
        const beforeRoles = before.map((g) => g.role).sort();
        if (beforeRoles.join() === roles.join()) return { changed: false, changedAt: times(before).updatedAt };
        await tx.orgMembers.removeAll(ctx.orgId, p.type, p.id);
        for (const role of roles) await tx.orgMembers.add(ctx.orgId, p.type, p.id, role, before.find((g) => g.role === role)?.createdAt ?? now);
        await record(orgMemberChange(ctx.orgId, p, "org_member.roles_replaced", beforeRoles, roles));
        return { changed: true, changedAt: now };
      });
    },

    /**
     * The members of the organization of the call with their roles: all of
     * them for a caller holding org.member.read there, else only the caller.
     */
    async visibleMembers(ctx: CallContext): Promise<{ organization: OrgRecord | null; members: OrgMemberDetail[] }> {
      const repos = deps.store.read;
      const all = permissionSet(await orgEffectiveRoles(repos, ctx.principal, ctx.orgId)).has("org.member.read");
      const grants = await repos.orgMembers.grants(ctx.orgId, all ? null : ctx.principal);
      const byPrincipal = new Map<string, OrgGrant[]>();
      for (const g of grants) {
        const key = `${g.principalType}:${g.principalId}`;
        byPrincipal.set(key, [...(byPrincipal.get(key) ?? []), g]);
      }
      const members: OrgMemberDetail[] = [];
      for (const key of [...byPrincipal.keys()].sort()) {
        const list = byPrincipal.get(key)!;
        const { principalType, principalId } = list[0]!;
        members.push({
          principalType,
          principalId,
          roles: list.map((g) => g.role).sort(),
          ...times(list),
          user: principalType === "user" ? await repos.users.get(principalId) : null,
          identity: principalType === "identity" ? await repos.identities.get(principalId) : null,
        });
      }
      return { organization: await repos.orgs.get(ctx.orgId), members };
    },
  };
}

export type OrgMemberRoles = ReturnType<typeof createOrgMemberRoles>;
