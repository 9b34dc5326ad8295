// A membership's last audit sequence lives on its row (migration 2): the
// migration backfills it from the audit trail of an older database, and every
// audit event appended for a membership moves it in the same transaction.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../src/kernel/records.ts";
import { migrate } from "../../src/store/sqlite/migrations.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";

let dir = "";
let store: SqliteStore | null = null;
afterEach(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = (targetType: string, targetId: string): Omit<AuditRecord, "sequence"> => ({
  time: 1, organizationId: "o", projectId: "p", actorType: "system", actorId: "system", action: `${targetType}.changed`,
  targetType, targetId, requestId: "", before: null, after: null,
});

/** A database as the server before migration 2 left it: two memberships, one with three events. */
function versionOneFile(): string {
  dir = mkdtempSync(join(tmpdir(), "last-seq-"));
  const file = join(dir, "m.db");
  const db = new Database(file);
  migrate(db, 1);
  db.exec(`
    INSERT INTO organizations VALUES ('o', 'org', 1);
    INSERT INTO projects VALUES ('p', 'o', 'project', '', 1);
    INSERT INTO users VALUES ('u1', 'o', 'a@x.test', 'a@x.test', 'A', 'A', 0, 1), ('u2', 'o', 'b@x.test', 'b@x.test', 'B', 'B', 0, 1);
    INSERT INTO memberships VALUES ('m1', 'p', 'o', 'user', 'u1', 'active', NULL, 1, NULL, NULL, 1, 1),
                                   ('m2', 'p', 'o', 'user', 'u2', 'active', NULL, 1, NULL, NULL, 1, 1);
    INSERT INTO audit_events (time, organization_id, project_id, actor_type, actor_id, action, target_type, target_id, request_id)
      VALUES (1, 'o', 'p', 'system', 'system', 'membership.added', 'membership', 'm1', ''),
             (1, 'o', 'p', 'system', 'system', 'user.created', 'user', 'u2', ''),
             (1, 'o', 'p', 'system', 'system', 'membership.roles_replaced', 'membership', 'm1', ''),
             (1, 'o', 'p', 'system', 'system', 'membership.suspended', 'membership', 'm1', '');`);
  expect(db.pragma("user_version", { simple: true })).toBe(1);
  db.close();
  return file;
}

const lastOf = async (s: SqliteStore, id: string) => (await s.read.memberships.get(id))!.lastSequence;

describe("a membership's last audit sequence", () => {
  it("is backfilled from the audit trail when an older database is opened", async () => {
    store = openSqliteStore(versionOneFile());
    expect(await lastOf(store, "m1")).toBe(4);
    expect(await lastOf(store, "m2")).toBe(0);
    const listed = await store.read.memberships.list("p", { role: "", principalType: null, statuses: ["active"], emailPrefix: "" }, { after: null, limit: 10 });
    expect(listed.map((m) => [m.id, m.lastSequence])).toEqual([["m1", 4], ["m2", 0]]);
  });

  it("moves with each event appended for the membership, and only for it", async () => {
    store = openSqliteStore(versionOneFile());
    const seq = await store.write(async (tx) => {
      const own = await tx.audit.append(event("membership", "m2"));
      await tx.audit.append(event("user", "u1"));
      return own;
    });
    expect(seq).toBe(5);
    expect(await lastOf(store, "m2")).toBe(5);
    expect(await lastOf(store, "m1")).toBe(4);
  });

  it("stays put when the write that appended the event is rolled back", async () => {
    store = openSqliteStore(versionOneFile());
    const failed = store.write(async (tx) => {
      await tx.audit.append(event("membership", "m1"));
      throw new Error("abandoned");
    });
    await expect(failed).rejects.toThrow("abandoned");
    expect(await lastOf(store, "m1")).toBe(4);
  });
});
