// Deleting a user or an identity, inside the caller's transaction: its
// project memberships end, its organization roles go, its tokens are
// revoked, then its row is removed; each effect is one audit event, the last
// one `<type>.deleted`. Also how an organization's cascade removes its principals.
import { deleted, type Change } from "../audit/audit-log.ts";
import type { IdentityRecord, UserRecord } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";
import { endMembershipsOf } from "../membership/membership-endings.ts";
import { removeOrgRolesOf } from "../organizations/org-member-removal.ts";
import { revokeTokensOf } from "../tokens/token-revocation.ts";

export type Removable = { type: "user"; record: UserRecord } | { type: "identity"; record: IdentityRecord };

/** What the audit trail keeps of a principal: what its creation recorded. */
export function principalSnapshot(p: Removable): Record<string, unknown> {
  if (p.type === "identity") return { id: p.record.id, name: p.record.name };
  const { id, email, firstName, lastName } = p.record;
  return { id, email, firstName, lastName };
}

/** Removes the principal and everything that hangs on it; returns the sequence of its deletion event. */
export async function deletePrincipalIn(tx: Repos, record: (c: Change) => Promise<number>, p: Removable, now: number): Promise<number> {
  const ref = { type: p.type, id: p.record.id };
  await endMembershipsOf(tx, record, ref, now);
  await removeOrgRolesOf(tx, record, ref);
  await revokeTokensOf(tx, record, ref, now);
  if (p.type === "user") await tx.users.delete(ref.id);
  else await tx.identities.delete(ref.id);
  return record(deleted(p.type, ref.id, p.record.organizationId, principalSnapshot(p)));
}
