// The audit trail's hash chain on PostgreSQL: the reads verifyChain needs,
// and the hashes of events written before the chain existed (migration 3).
// New events are hashed as they are appended (audit-repo.postgres.ts).
import type { ChainSource } from "../kernel/store.ts";
import { allRows, oneRow, type Queryable } from "../store/postgres/pg-sql.ts";
import { GENESIS, linkHash } from "./audit-chain.ts";
import { toLink } from "./audit-rows.ts";

const LINKS = "SELECT * FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2";

export function createChainSource(q: Queryable): ChainSource {
  return {
    links: async (after, limit) => (await allRows(q, LINKS, [after, limit])).map(toLink),
    // The counter append allocates from, the highest sequence ever handed out: a trail that ends before it was cut off.
    lastAssignedSequence: async () => ((await oneRow(q, "SELECT last FROM audit_sequence", []))?.last as number | undefined) ?? 0,
  };
}

/** Migration 3: the events written before the chain existed get their hashes, in sequence order. */
export async function sealExistingEvents(q: Queryable): Promise<void> {
  let previous: Uint8Array = GENESIS;
  for (let after = 0; ; ) {
    const rows = await allRows(q, LINKS, [after, 1000]);
    for (const r of rows) {
      const hash = linkHash(previous, toLink(r));
      await q.query("UPDATE audit_events SET hash = $1 WHERE sequence = $2", [hash, r.sequence]);
      previous = hash;
      after = r.sequence;
    }
    if (rows.length < 1000) return;
  }
}
