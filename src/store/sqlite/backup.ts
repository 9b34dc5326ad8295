// Copies of a database: a consistent backup made while the server writes, its
// check, and a backup staged for restore. The command line drives these
// (cli/backup-command.ts, cli/restore-command.ts); what it means to be one of
// our databases lives here, beside the rest of the SQLite store.
import Database from "better-sqlite3";
import { createAuditRepo } from "../../audit/audit-repo.sqlite.ts";
import { migrate } from "./migrations.ts";
import { openDatabase } from "./open.ts";

/** A backup or restore that cannot go on, in one line for the operator. */
export class BackupError extends Error {
  override name = "BackupError";
}

/** Pages copied so far, of how many. */
export type Progress = (done: number, total: number) => void;

/** Copies `source` to `target` through SQLite's online backup API, beside a server that keeps writing. */
export async function copyDatabase(source: string, target: string, onProgress: Progress): Promise<void> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(target, { progress: pace(onProgress) });
  } finally {
    db.close();
  }
}

/**
 * How many pages each backup step copies. About a hundredth of the database,
 * so the bar moves; but a write by another connection between two steps
 * restarts the copy (that is how SQLite keeps it one snapshot), and a busy
 * server would restart it again and again. So once a restart is seen, the rest
 * is copied in one step, inside one read transaction, which WAL lets run
 * beside the server's writes.
 */
function pace(onProgress: Progress) {
  let lastRemaining = Number.POSITIVE_INFINITY;
  let allAtOnce = false;
  return ({ totalPages, remainingPages }: { totalPages: number; remainingPages: number }) => {
    if (remainingPages > lastRemaining) allAtOnce = true;
    lastRemaining = remainingPages;
    onProgress(totalPages - remainingPages, totalPages);
    return allAtOnce ? totalPages : Math.max(100, Math.ceil(totalPages / 100));
  };
}

/**
 * Makes the copy a plain single-file database (rollback journal, so opening it
 * needs no -wal or -shm beside it) and checks it before it takes the name.
 */
export function checkBackup(path: string): { pages: number; bytes: number; sequence: number } {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma("journal_mode = DELETE");
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new BackupError(`the backup failed its integrity check: ${String(check)}`);
    const pages = db.pragma("page_count", { simple: true }) as number;
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    return { pages, bytes: pages * pageSize, sequence: createAuditRepo(db).latestSequence() as number };
  } finally {
    db.close();
  }
}

/** Copies the backup to `staging` through the backup API, checks it is one of ours, and migrates it. */
export async function stageRestore(backup: string, staging: string): Promise<number> {
  const source = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    if ((source.pragma("user_version", { simple: true }) as number) < 1) throw new BackupError(`${backup} is not a membership-server database`);
    await source.backup(staging);
  } catch (err) {
    if ((err as { code?: string }).code === "SQLITE_NOTADB") throw new BackupError(`${backup} is not a SQLite database`);
    throw err;
  } finally {
    source.close();
  }
  const db = openDatabase(staging);
  try {
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new BackupError(`${backup} failed its integrity check: ${String(check)}`);
    migrate(db);
    return db.pragma("user_version", { simple: true }) as number;
  } finally {
    db.close();
  }
}
