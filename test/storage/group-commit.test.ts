// Group commit on a real SQLite file: writes that arrive together share one
// COMMIT, a failing write is rolled back alone, a failing COMMIT fails every
// write of its batch, and nothing is reported before the COMMIT.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { audited, SYSTEM_ACTOR } from "../../src/audit/audit-log.ts";
import { createManualClock } from "../../src/kernel/clock.ts";
import { createIdGenerator } from "../../src/kernel/ids.ts";
import type { ChangeNotifier, Repos } from "../../src/kernel/store.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";

let dir = "";
let opened: SqliteStore | null = null;
afterEach(() => {
  opened?.close();
  opened = null;
  rmSync(dir, { recursive: true, force: true });
});

function openTemp(): { store: SqliteStore; file: string } {
  dir = mkdtempSync(join(tmpdir(), "group-commit-"));
  const file = join(dir, "m.db");
  opened = openSqliteStore(file);
  return { store: opened, file };
}

/** An organization and its audit event: a write shaped like every domain write. */
async function addOrg(tx: Repos, name: string): Promise<number> {
  await tx.orgs.insert({ id: `org-${name}`, name, slug: name, createdAt: 1 });
  return await tx.audit.append({
    time: 1, organizationId: `org-${name}`, projectId: null, actorType: "system", actorId: "system",
    action: "organization.created", targetType: "organization", targetId: `org-${name}`, requestId: "", before: null, after: null,
  });
}

/** What another process finds in the file: names of organizations and the audit sequences, in order. */
function onDisk(file: string): { orgs: string[]; sequences: number[] } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      orgs: db.prepare("SELECT name FROM organizations ORDER BY name").pluck().all() as string[],
      sequences: db.prepare("SELECT sequence FROM audit_events ORDER BY sequence").pluck().all() as number[],
    };
  } finally {
    db.close();
  }
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `o${String(i).padStart(3, "0")}`);

describe("group commit", () => {
  it("commits writes that arrive together in fewer transactions than writes, each at most 64", async () => {
    const { store, file } = openTemp();
    const all = names(200);
    const sequences = await Promise.all(all.map((n) => store.write((tx) => addOrg(tx, n))));
    expect(sequences.toSorted((a, b) => a - b)).toEqual(all.map((_, i) => i + 1));
    expect(store.stats.writes).toBe(200);
    expect(store.stats.commits).toBeGreaterThanOrEqual(Math.ceil(200 / 64));
    expect(store.stats.commits).toBeLessThan(200);
    expect(onDisk(file).orgs).toEqual(all);
  });

  it("runs the writes of a batch one at a time even when they await", async () => {
    const { store } = openTemp();
    let active = 0;
    let most = 0;
    const order: string[] = [];
    await Promise.all(
      names(8).map((n) =>
        store.write(async (tx) => {
          most = Math.max(most, ++active);
          await new Promise((r) => setTimeout(r, 2));
          order.push(n);
          await addOrg(tx, n);
          active--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual(names(8));
    expect(store.stats.commits).toBe(1);
  });

  it.each(["file", "memory"] as const)("rolls back a failing write alone, its neighbours commit (%s)", async (kind) => {
    const { store, file } = kind === "file" ? openTemp() : { store: (opened = openSqliteStore(":memory:")), file: "" };
    const boom = new Error("boom");
    const results = await Promise.allSettled(
      names(5).map((n, i) =>
        store.write(async (tx) => {
          const sequence = await addOrg(tx, n);
          if (i === 2) throw boom; // after its row and its audit event were written
          return sequence;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect((results[2] as PromiseRejectedResult).reason).toBe(boom);
    expect(store.stats).toEqual({ commits: 1, writes: 4 }); // one shared transaction
    // The failed write's sequence is handed out again, so the trail has no gap.
    expect(results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []))).toEqual([1, 2, 3, 4]);
    // What the read connection sees (the file itself for a file store): the
    // failed write left neither its organization nor its audit event.
    const allEvents = { projectId: "", actorId: "", targetId: "", action: "", actionPrefix: "", startTime: null, endTime: null };
    const sequences = await Promise.all(names(5).map(async (n) => (await store.read.audit.list(`org-${n}`, allEvents, 0, 10)).map((e) => e.sequence)));
    expect(sequences).toEqual([[1], [2], [], [3], [4]]);
    expect((await store.read.orgs.list({ after: null, limit: 10 }, null)).map((o) => o.name)).toEqual(["o000", "o001", "o003", "o004"]);
    if (kind === "file") expect(onDisk(file)).toEqual({ orgs: ["o000", "o001", "o003", "o004"], sequences: [1, 2, 3, 4] });
  });

  it("fails every write of the batch when the COMMIT fails, and recovers for the next batch", async () => {
    const { store, file } = openTemp();
    // A deferred foreign key is checked only at COMMIT: inserting the
    // organization named "poison" makes the COMMIT of its batch fail.
    const other = new Database(file);
    other.exec(`
      CREATE TABLE poison (org_id TEXT REFERENCES organizations(id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER poison_org AFTER INSERT ON organizations WHEN NEW.name = 'poison'
        BEGIN INSERT INTO poison VALUES ('no such organization'); END;`);
    other.close();
    const batch = ["a", "b", "poison", "c"];
    const results = await Promise.allSettled(batch.map((n) => store.write((tx) => addOrg(tx, n))));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "SQLITE_CONSTRAINT_FOREIGNKEY" });
    expect(store.stats).toEqual({ commits: 0, writes: 0 });
    expect(onDisk(file)).toEqual({ orgs: [], sequences: [] });

    expect(await store.write((tx) => addOrg(tx, "after"))).toBe(1);
    expect(onDisk(file)).toEqual({ orgs: ["after"], sequences: [1] });
  });

  it("wakes change readers only once the reader connection sees the write", async () => {
    const { store } = openTemp();
    const seenAtNotify: number[] = [];
    const changes: ChangeNotifier = {
      notify: () => void seenAtNotify.push(store.read.audit.latestSequence() as number),
      wait: () => Promise.resolve(),
    };
    const deps = { store, clock: createManualClock(), ids: createIdGenerator(), changes };
    const written = await Promise.all(
      names(10).map((n) => audited(deps, SYSTEM_ACTOR, async (tx, record) => {
        await tx.orgs.insert({ id: `org-${n}`, name: n, slug: n, createdAt: 1 });
        return record({ action: "organization.created", targetType: "organization", targetId: `org-${n}`, organizationId: `org-${n}`, projectId: null, before: null, after: null });
      })),
    );
    expect(seenAtNotify).toHaveLength(10);
    expect(Math.min(...seenAtNotify)).toBeGreaterThanOrEqual(Math.max(...written));
  });

  it("finishes the batch under way when closed, and refuses writes after", async () => {
    const { store, file } = openTemp();
    const slow = store.write(async (tx) => {
      await new Promise((r) => setTimeout(r, 20));
      return addOrg(tx, "slow");
    });
    await new Promise((r) => setImmediate(r)); // the batch has started
    const queued = store.write((tx) => addOrg(tx, "queued")).catch((err: Error) => err.message);
    store.close();
    await expect(slow).resolves.toBe(1);
    expect(await queued).toBe("store is closed");
    await expect(store.write((tx) => addOrg(tx, "late"))).rejects.toThrow("store is closed");
    expect(onDisk(file).orgs).toEqual(["slow"]);
  });
});
