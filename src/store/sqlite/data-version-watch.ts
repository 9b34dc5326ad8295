// Commits made by another process (a second server, an offline command) on
// the same database file. SQLite tells a connection that another connection
// committed through PRAGMA data_version, a counter read from shared memory
// without touching the database pages; polling it is cheap enough to run a
// few times a second. Polled on the write connection, whose own commits do
// not move it, so only outside commits wake change-stream readers.
import type { Database } from "better-sqlite3";

export const DATA_VERSION_POLL_MS = 150;

/** Calls `changed` after each poll that sees another connection's commit; returns the stop function. */
export function watchDataVersion(db: Database, changed: () => void, intervalMs = DATA_VERSION_POLL_MS): () => void {
  const read = db.prepare("PRAGMA data_version").pluck();
  let seen = read.get() as number;
  const timer = setInterval(() => {
    let now: number;
    try {
      now = read.get() as number;
    } catch {
      // A disk or lock hiccup: the next poll asks again, and readers re-read from their sequence anyway.
      return;
    }
    if (now === seen) return;
    seen = now;
    changed();
  }, intervalMs);
  // The poll alone must not keep a process alive (a test, a command that only reads).
  timer.unref();
  return () => clearInterval(timer);
}
