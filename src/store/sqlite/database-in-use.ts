// Whether another process has a database open, such as a running server.
//
// In WAL mode every open connection keeps a shared lock on the database file
// from its first read until it closes, and the kernel drops that lock when the
// process ends, however it ends. A connection in EXCLUSIVE locking mode must
// take an exclusive lock on its first read: with no busy timeout, it fails at
// once with SQLITE_BUSY while any other connection is open. Unlike a pid file
// this cannot go stale after a crash, and unlike port probes it needs no
// knowledge of where the server listens. It relies on POSIX advisory locks,
// as SQLite itself does, so it is not reliable on network file systems.
import Database from "better-sqlite3";

/** True while another connection has `path` open; otherwise takes and drops the exclusive lock. */
export function databaseInUse(path: string): boolean {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 0");
    db.pragma("locking_mode = EXCLUSIVE");
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return false;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "SQLITE_BUSY") return true;
    // Not a database at all (a broken file that a restore is meant to replace): no server can be serving it.
    if (code === "SQLITE_NOTADB") return false;
    throw err;
  } finally {
    // In WAL mode, closing the last connection checkpoints and removes the WAL file.
    db.close();
  }
}
