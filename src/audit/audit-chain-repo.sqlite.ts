// The audit trail's hash chain in SQLite (migration 3 adds the column): the
// hash of each appended event, the hashes of events written before the
// chain existed, and the reads that verifyChain needs.
import type { Database } from "better-sqlite3";
import type { ChainContent, ChainSource } from "../kernel/store.ts";
import type { Row } from "../store/sqlite/sql.ts";
import { GENESIS, linkHash } from "./audit-chain.ts";
import { toLink } from "./audit-rows.ts";

const LINKS = "SELECT * FROM audit_events WHERE sequence > ? ORDER BY sequence LIMIT ?";

/**
 * Stores the hash of the event just inserted at `sequence`, chained to the
 * event before it. Runs in the transaction of the insert, and writers are
 * serialized (BEGIN IMMEDIATE), so the event before it is final; a write
 * rolled back takes its event and hash along.
 */
export function createChainSealer(db: Database): (content: ChainContent) => void {
  const previous = db.prepare("SELECT hash FROM audit_events WHERE sequence < ? ORDER BY sequence DESC LIMIT 1").pluck();
  const store = db.prepare("UPDATE audit_events SET hash = ? WHERE sequence = ?");
  return (content) => {
    const prev = (previous.get(content.sequence) as Buffer | undefined) ?? GENESIS;
    store.run(linkHash(prev, content), content.sequence);
  };
}

export function createChainSource(db: Database): ChainSource {
  const links = db.prepare(LINKS);
  // AUTOINCREMENT's record of the highest sequence ever used: a trail that ends before it was cut off.
  const lastAssigned = db.prepare("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'audit_events'").pluck();
  return {
    links: (after, limit) => links.all(after, limit).map((r) => toLink(r as Row)),
    lastAssignedSequence: () => lastAssigned.get() as number,
  };
}

/** Migration 3: the events written before the chain existed get their hashes, in sequence order. */
export function sealExistingEvents(db: Database): void {
  const seal = createChainSealer(db);
  const page = db.prepare(LINKS);
  for (let after = 0; ; ) {
    const rows = page.all(after, 1000) as Row[];
    for (const r of rows) {
      seal(toLink(r));
      after = r.sequence;
    }
    if (rows.length < 1000) return;
  }
}
