// Taking a principal's organization roles everywhere when it is deleted, and
// every role held in an organization when the organization is. One
// org_member.removed event per principal and organization, as
// RemoveOrganizationMember writes it. Runs inside the caller's transaction.
import type { Change } from "../audit/audit-log.ts";
import type { PrincipalType } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";
import { orgMemberChange } from "./org-member-service.ts";

type Record = (change: Change) => Promise<number>;

async function removeIn(tx: Repos, record: Record, orgId: string, p: { type: PrincipalType; id: string }): Promise<void> {
  const before = await tx.orgMembers.rolesOf(orgId, p.type, p.id);
  if (before.length === 0) return;
  await tx.orgMembers.removeAll(orgId, p.type, p.id);
  await record(orgMemberChange(orgId, p, "org_member.removed", before, null));
}

/** Removes the principal's roles in every organization. */
export async function removeOrgRolesOf(tx: Repos, record: Record, p: { type: PrincipalType; id: string }): Promise<void> {
  for (const orgId of await tx.orgMembers.orgsOf(p.type, p.id)) await removeIn(tx, record, orgId, p);
}

/** Removes every role held in the organization, whoever holds it. */
export async function removeOrgRolesIn(tx: Repos, record: Record, orgId: string): Promise<void> {
  const seen = new Set<string>();
  for (const g of await tx.orgMembers.grants(orgId, null)) {
    const key = `${g.principalType}:${g.principalId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await removeIn(tx, record, orgId, { type: g.principalType, id: g.principalId });
  }
}
