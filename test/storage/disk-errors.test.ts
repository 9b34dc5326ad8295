// Which SQLite errors mean "the disk refused", checked on errors SQLite
// itself raises, and what a write that fails with one answers. A read-only
// disk under a running server cannot be made here (a tmpfs with open files
// refuses to remount read-only, an immutable attribute or a read-only block
// device does not stop writes through open files), so the read-only code
// comes from a read-only connection to the same file.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DomainError } from "../../src/kernel/errors.ts";
import { createLogger } from "../../src/logger.ts";
import { isDiskError } from "../../src/store/sqlite/disk-errors.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";

let dir = "";
let store: SqliteStore | undefined;
const extra: Database.Database[] = [];
afterEach(() => {
  for (const db of extra.splice(0)) db.close();
  store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

function fixture() {
  dir = mkdtempSync(join(tmpdir(), "disk-errors-"));
  const file = join(dir, "m.db");
  const logs: string[] = [];
  store = openSqliteStore(file, { log: createLogger("debug", (l) => logs.push(l)) });
  const readOnly = new Database(file, { readonly: true });
  extra.push(readOnly);
  return { file, logs, store, readOnly };
}

describe("disk errors", () => {
  it("are told apart from other SQLite errors by their codes", () => {
    const { file, readOnly } = fixture();
    const full = new Database(file);
    extra.push(full);
    full.pragma("max_page_count = 1");
    const errors = {
      readonly: thrown(() => readOnly.exec("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'n', 1)")),
      full: thrown(() => full.exec(`INSERT INTO organizations (id, name, created_at) VALUES ('o', '${"n".repeat(8000)}', 1)`)),
      cantopen: thrown(() => new Database(join(dir, "missing.db"), { fileMustExist: true })),
      constraint: thrown(() => full.exec("INSERT INTO users (id, organization_id) VALUES ('u', NULL)")),
    };
    expect(Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, [(e as { code?: string }).code, isDiskError(e)]]))).toEqual({
      readonly: ["SQLITE_READONLY", true],
      full: ["SQLITE_FULL", true],
      cantopen: ["SQLITE_CANTOPEN", true],
      constraint: ["SQLITE_CONSTRAINT_NOTNULL", false],
    });
  });

  it("make a write answer UNAVAILABLE (store.not_writable), logged with the code; other errors and other writes pass unchanged", async () => {
    const { logs, store, readOnly } = fixture();
    const results = await Promise.allSettled([
      store.write(async (tx) => tx.orgs.insert({ id: "a", name: "a", slug: "a", createdAt: 1 })),
      store.write(async () => readOnly.exec("INSERT INTO organizations (id, name, created_at) VALUES ('b', 'b', 1)")),
      store.write(async () => {
        throw new Error("not a disk error");
      }),
      store.write(async (tx) => tx.orgs.insert({ id: "c", name: "c", slug: "c", createdAt: 1 })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    const refused = (results[1] as PromiseRejectedResult).reason;
    expect(refused).toBeInstanceOf(DomainError);
    expect({ kind: refused.kind, reason: refused.reason }).toEqual({ kind: "unavailable", reason: "store.not_writable" });
    expect(refused.message).not.toMatch(/INSERT|SQLITE|m\.db/);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe("not a disk error");
    expect(logs.filter((l) => l.includes("write refused by the disk"))).toHaveLength(1);
    expect(logs[0]).toContain("SQLITE_READONLY");
    expect((await store.read.orgs.list({ after: null, limit: 10 }, null)).map((o) => o.id)).toEqual(["a", "c"]);
  });
});
