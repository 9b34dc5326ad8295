// What the lifecycle tests read back after a deletion: the audit events an
// organization recorded after a sequence, and the membership events a
// WatchMemberships stream replays from that sequence.
import { take } from "../helpers/call-outcomes.ts";
import type { World } from "../helpers/fixtures.ts";
import { auth } from "../helpers/server.ts";

/** Actions of the organization's audit events after `sequence`, in order (as the instance administrator). */
export async function actionsAfter(w: World, sequence: bigint, orgId = w.ts.orgId): Promise<{ action: string; targetId: string; sequence: bigint }[]> {
  const out: { action: string; targetId: string; sequence: bigint }[] = [];
  let pageToken = "";
  do {
    const page = await w.c.audit.listAuditEvents({ pageSize: 1000, pageToken }, auth(w.ts.adminToken, orgId));
    for (const e of page.events) if (e.sequence > sequence) out.push({ action: e.action, targetId: e.targetId, sequence: e.sequence });
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return out;
}

/** The first `n` membership events of the organization after `sequence`, replayed by WatchMemberships. */
export async function watchedAfter(w: World, sequence: bigint, n: number, orgId = w.ts.orgId) {
  const events = await take(n, (signal) => w.c.members.watchMemberships({ afterSequence: sequence }, { ...auth(w.ts.adminToken, orgId), signal }));
  return events.map((e) => ({ action: e.event!.action, projectId: e.event!.projectId, principalId: String(e.event!.before?.["principalId"]), status: e.event!.after?.["status"] }));
}

/** The highest audit sequence so far: what a watcher that connected now would resume from. */
export async function lastSequence(w: World, orgId = w.ts.orgId): Promise<bigint> {
  const events = await actionsAfter(w, 0n, orgId);
  return events.at(-1)?.sequence ?? 0n;
}
