// Opens a SQLite database with the pragmas the store relies on.
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
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
  if (!isMemory(path) && !opts.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(isMemory(path) ? ":memory:" : path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  db.pragma("busy_timeout = 5000");
  if (!opts.readonly) {
    if (!isMemory(path)) db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
  }
  db.pragma("foreign_keys = ON");
  return db;
}
