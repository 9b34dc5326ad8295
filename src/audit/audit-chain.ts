// The audit trail as a hash chain: each event stores SHA-256 over the
// previous event's hash and its own content, as stored. Changing an event's
// content or hash, deleting an event, or cutting off the newest ones breaks
// the chain at that sequence, which verifyChain finds by recomputing it.
// It is tamper-evident, not tamper-proof: who can rewrite the whole file can
// recompute every hash after the change.
import { createHash } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { ChainContent, ChainSource } from "../kernel/store.ts";

/** The "previous hash" of the first event. */
export const GENESIS: Uint8Array = new Uint8Array(32);

/**
 * The hash of an event. The content is one JSON array in a fixed order (a
 * format version first), so no two different events serialize alike and
 * the stored text is hashed as it is, without being parsed again.
 */
export function linkHash(previous: Uint8Array, e: ChainContent): Buffer {
  const content = JSON.stringify([
    1, e.sequence, e.time, e.organizationId, e.projectId, e.actorType, e.actorId, e.action, e.targetType, e.targetId, e.requestId, e.before, e.after,
  ]);
  return createHash("sha256").update(previous).update(content, "utf8").digest();
}

export type ChainProblem = "altered" | "missing";

export interface ChainReport {
  ok: boolean;
  /** Events checked: all of them when ok, else up to and including the break. */
  checked: number;
  /** The first sequence where the chain breaks, and how; null when ok. */
  firstBroken: { sequence: number; problem: ChainProblem } | null;
}

const PAGE = 1000;

/**
 * Recomputes the chain from the first event. Each event is checked against
 * its predecessor's stored hash, so an edit shows at the edited event only.
 * A hash that fails after a gap in the sequences means the events of the
 * gap were deleted; a trail that ends before the highest sequence handed
 * out (read first, so events appended meanwhile do not count) was cut off.
 * Yields to the event loop between pages: a long trail does not stall calls.
 */
export async function verifyChain(source: ChainSource): Promise<ChainReport> {
  const lastAssigned = await source.lastAssignedSequence();
  let previous = GENESIS;
  let previousSequence = 0;
  let checked = 0;
  for (;;) {
    const links = await source.links(previousSequence, PAGE);
    for (const link of links) {
      checked += 1;
      if (!linkHash(previous, link).equals(link.hash)) {
        const gap = link.sequence !== previousSequence + 1;
        return { ok: false, checked, firstBroken: { sequence: gap ? previousSequence + 1 : link.sequence, problem: gap ? "missing" : "altered" } };
      }
      previous = link.hash;
      previousSequence = link.sequence;
    }
    if (links.length < PAGE) break;
    await nextTurn();
  }
  if (previousSequence < lastAssigned) return { ok: false, checked, firstBroken: { sequence: previousSequence + 1, problem: "missing" } };
  return { ok: true, checked, firstBroken: null };
}
