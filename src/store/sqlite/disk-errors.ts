// When the disk refuses writes: a database the server cannot write is refused
// at start with one line naming the path; at run time a write that fails for
// disk reasons becomes UNAVAILABLE (the condition is the operator's to fix
// and passes, and reads keep working), never INTERNAL.
import Database from "better-sqlite3";
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DomainError } from "../../kernel/errors.ts";

/**
 * SQLite's result codes (extended ones included) that mean the file or its
 * disk refused: read-only (file, mount, or moved away), full, an I/O error,
 * or a file that cannot be opened (the WAL in a folder that turned read-only).
 */
export function isDiskError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return code === "SQLITE_FULL" || ["SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN"].some((c) => code === c || code.startsWith(`${c}_`));
}

/** What a client is told: that the store cannot take writes now; neither SQL nor a path. */
export const storeNotWritable = () =>
  new DomainError("unavailable", "store.not_writable", "the store is not writable at the moment (disk full or read-only); reads still work");

/** A start refused because the database cannot be written; its message is one line that names the path. */
export class StoreNotWritableError extends Error {
  constructor(path: string, why: string) {
    super(`database ${path} is not writable: ${why}`);
    this.name = "StoreNotWritableError";
  }
}

/**
 * Checks before opening that the database file and its folder may be
 * written: SQLite creates the WAL and shared-memory files in the folder,
 * which is made here when missing (a first start). access(2) answers
 * for the real user, root included: a read-only mount (EROFS) or an
 * immutable file (EPERM) refuses root too, while mode bits alone do not.
 */
export function assertWritable(path: string): void {
  const file = resolve(path);
  const folder = dirname(file);
  const refuse = (what: string, err: unknown): never => {
    throw new StoreNotWritableError(file, `${what} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  };
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (err) {
    refuse(`its folder ${folder} cannot be created`, whyNotCreated(folder) ?? err);
  }
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (err) {
    refuse(`its folder ${folder} is not writable`, err);
  }
  if (!existsSync(file)) return;
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (err) {
    refuse("the file is not writable", err);
  }
}

/** A recursive mkdir reports ENOENT on a read-only mount; the nearest folder that exists says why. */
function whyNotCreated(folder: string): unknown {
  let existing = dirname(folder);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
    return null;
  } catch (err) {
    return err;
  }
}

/** Runs the opening steps (open, migrate) and turns a disk refusal among them into the one-line start error. */
export function openingWritable<T>(path: string, open: () => T): T {
  try {
    return open();
  } catch (err) {
    if (isDiskError(err)) throw new StoreNotWritableError(resolve(path), `${err.message} (${err.code})`);
    throw err;
  }
}

/** A driver error as one line for a command-line user, or undefined when it is not one. */
export function describeStoreFault(err: unknown): string | undefined {
  if (!(err instanceof Database.SqliteError)) return undefined;
  if (err.code === "SQLITE_BUSY") return "the database stayed locked by another process for 5 s; try again";
  return `database error (${err.code}): ${err.message}`;
}
