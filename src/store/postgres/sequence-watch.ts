// Commits made by other processes on the same PostgreSQL database, seen by
// polling the audit counter (audit_sequence: one row, read by primary key
// with no lock) a few times a second, as the SQLite store polls PRAGMA
// data_version. Every change that a change stream delivers appends an audit
// event, so the counter moving is exactly "there is something to read". Its
// own process's writes move it too; a wake-up is only a prompt to re-read
// from the last sequence, so a spare one costs one read. A LISTEN/NOTIFY
// wake-up can take over from this poll without changing its callers.
import type pg from "pg";

export const SEQUENCE_POLL_MS = 150;

/** Calls `changed` after each poll that sees the counter move; returns the stop function. */
export function watchAuditSequence(pool: pg.Pool, changed: () => void, intervalMs = SEQUENCE_POLL_MS): () => void {
  let seen: number | null = null;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    pool
      .query("SELECT last FROM audit_sequence")
      .then(({ rows }) => {
        const now = rows[0]?.last as number | undefined;
        if (now === undefined || now === seen) return;
        const first = seen === null;
        seen = now;
        if (!first) changed();
      })
      // The database is unreachable for now: the next poll asks again, and readers re-read from their sequence anyway.
      .catch(() => {})
      .finally(() => (busy = false));
  }, intervalMs);
  // The poll alone must not keep a process alive (a command that only reads).
  timer.unref();
  return () => clearInterval(timer);
}
