// The audit trail on PostgreSQL: append-only, sealed into the hash chain as
// each event is appended, and stamping a membership's row with the sequence
// of its last change, in the same transaction (as audit-repo.sqlite.ts).
import type { AuditRepo } from "../kernel/store.ts";
import type { AuditRecord } from "../kernel/records.ts";
import { AUDIT_LOCK } from "../store/postgres/advisory-locks.ts";
import { CHANGES_CHANNEL } from "../store/postgres/pg-watch.ts";
import { allRows, oneRow, type Queryable, type Row } from "../store/postgres/pg-sql.ts";
import { createChainSource } from "./audit-chain-repo.postgres.ts";
import { GENESIS, linkHash } from "./audit-chain.ts";
import { toLink } from "./audit-rows.ts";

const parsed = (text: string | null) => (text === null ? null : JSON.parse(text));

const toEvent = (r: Row): AuditRecord => {
  const { hash: _hash, before, after, ...event } = toLink(r);
  return { ...event, before: parsed(before), after: parsed(after) };
};

const LIST = `SELECT * FROM audit_events
  WHERE organization_id = $1 AND sequence > $2
    AND ($3::text = '' OR project_id = $3::text)
    AND ($4::text = '' OR actor_id = $4::text)
    AND ($5::text = '' OR target_id = $5::text)
    AND ($6::text = '' OR action = $6::text)
    AND ($7::text = '' OR left(action, length($7::text)) = $7::text)
    AND ($8::bigint IS NULL OR time >= $8::bigint)
    AND ($9::bigint IS NULL OR time < $9::bigint)
  ORDER BY sequence LIMIT $10`;

export function createAuditRepo(q: Queryable): AuditRepo {
  return {
    ...createChainSource(q),
    /**
     * Sequences are handed out in commit order, with no gaps, so that a
     * change stream reading "sequence > last delivered" never skips an event
     * that commits later. Several processes write at once, so a counter alone
     * would not do: transaction A could take 7, transaction B take 8 and
     * commit first, and a watcher that read 8 would never look at 7 again.
     * So the sequence is allocated under a transaction-level advisory lock,
     * held until this transaction commits or rolls back: while one
     * transaction holds an allocated sequence that is not committed, no
     * other can allocate. PostgreSQL makes a committing transaction visible
     * before it releases its locks, and under READ COMMITTED each statement
     * after the lock sees it (pg-transaction.ts), so the counter, the
     * previous event's hash and the new row always follow the last committed
     * event. The counter lives in a row of its own, updated in the
     * transaction, so a rollback takes its number back (no gap) and it still
     * records the highest sequence ever committed, as SQLite's AUTOINCREMENT
     * does, for verifyChain. The cost is that appends, and only they,
     * serialize across processes from the append to the commit; the domain
     * appends last, after its reads and checks, so that stretch is short.
     * (The other design, delivering only below the oldest in-flight
     * transaction's snapshot, would keep appends parallel but make every
     * reader compute that horizon.)
     */
    append: async (e) => {
      const before = e.before == null ? null : JSON.stringify(e.before);
      const after = e.after == null ? null : JSON.stringify(e.after);
      await q.query(AUDIT_LOCK);
      const next = (await oneRow(
        q,
        `WITH s AS (UPDATE audit_sequence SET last = last + 1 RETURNING last)
         SELECT s.last, (SELECT hash FROM audit_events ORDER BY sequence DESC LIMIT 1) AS previous FROM s`,
        [],
      ))!;
      const sequence = next.last as number;
      const hash = linkHash((next.previous as Buffer | null) ?? GENESIS, { ...e, sequence, before, after });
      await q.query(
        `INSERT INTO audit_events (sequence, time, organization_id, project_id, actor_type, actor_id, action, target_type, target_id,
           request_id, before, after, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [sequence, e.time, e.organizationId, e.projectId, e.actorType, e.actorId, e.action, e.targetType, e.targetId, e.requestId, before, after, hash],
      );
      if (e.targetType === "membership") await q.query("UPDATE memberships SET last_sequence = $1 WHERE id = $2", [sequence, e.targetId]);
      // Delivered at commit, to every process's change-stream readers (store/postgres/pg-watch.ts); one per transaction, as identical notifications merge.
      await q.query("SELECT pg_notify($1, '')", [CHANGES_CHANNEL]);
      return sequence;
    },
    list: async (orgId, f, after, limit) =>
      (
        await allRows(q, LIST, [orgId, after, f.projectId, f.actorId, f.targetId, f.action, f.actionPrefix, f.startTime, f.endTime, limit])
      ).map(toEvent),
    latestSequence: async () => (await oneRow(q, "SELECT coalesce(max(sequence), 0) AS n FROM audit_events", []))!.n as number,
  };
}
