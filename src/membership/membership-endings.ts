// Ending memberships because their principal or their project goes away.
// Each membership that still grants or waits (active, invited, suspended) is
// deactivated first, with a membership.deactivated event that change streams
// deliver as its end; then its row leaves the store with its principal or
// project. Runs inside the caller's transaction.
import { membershipSnapshot, type Change } from "../audit/audit-log.ts";
import type { MembershipView, PrincipalType } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";

type Record = (change: Change) => Promise<number>;

async function end(tx: Repos, record: Record, memberships: MembershipView[], now: number): Promise<number> {
  let ended = 0;
  for (const m of memberships) {
    if (m.status !== "deactivated") {
      const after: MembershipView = { ...m, status: "deactivated", deactivatedAt: now, updatedAt: now, roles: [] };
      await record({
        action: "membership.deactivated",
        targetType: "membership",
        targetId: m.id,
        organizationId: m.organizationId,
        projectId: m.projectId,
        before: membershipSnapshot(m),
        after: membershipSnapshot(after),
      });
      ended++;
    }
    await tx.memberships.delete(m.id);
  }
  return ended;
}

/** Ends every membership of a user or identity, in every project; returns how many were in force. */
export async function endMembershipsOf(tx: Repos, record: Record, p: { type: PrincipalType; id: string }, now: number): Promise<number> {
  return end(tx, record, await tx.memberships.ofPrincipal(p.type, p.id), now);
}

/** Ends every membership of a project; returns how many were in force. */
export async function endMembershipsIn(tx: Repos, record: Record, projectId: string, now: number): Promise<number> {
  return end(tx, record, await tx.memberships.ofProject(projectId), now);
}
