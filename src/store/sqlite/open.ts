// Opens a SQLite database with the pragmas the store relies on.
import Database from "better-sqlite3";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

export function isMemory(path: string): boolean {
  return path === ":memory:" || path === "";
}

/**
 * WAL lets readers run beside the single writer; synchronous=FULL makes a
 * reply mean the write survives a crash or power cut; the busy timeout covers
 * another process holding the write lock (a CLI beside the server).
 */
export function openDatabase(path: string, opts: { readonly?: boolean } = {}): Database.Database {
  const file = !isMemory(path) && !opts.readonly;
  if (file) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = file ? ownerOnly(path, () => openWal(path)) : new Database(isMemory(path) ? ":memory:" : path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  db.pragma("busy_timeout = 5000");
  if (!opts.readonly) db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  return db;
}

function openWal(path: string): Database.Database {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  return db;
}

/**
 * The database holds emails and token hashes: its files are the owner's
 * only (0600). New files are created under a umask that says so; a file
 * made earlier with wider rights is narrowed. SQLite gives the WAL and
 * shared-memory files it creates later the database file's mode.
 */
function ownerOnly<T>(path: string, open: () => T): T {
  const previous = process.umask(0o077);
  try {
    return open();
  } finally {
    process.umask(previous);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  }
}
