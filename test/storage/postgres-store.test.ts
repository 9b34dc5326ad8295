// What only the PostgreSQL store has to prove, against the run's real
// PostgreSQL: audit sequences in commit order with transactions deliberately
// interleaved on two connections, migrations run once by processes starting
// together, a lost connection is UNAVAILABLE, with nothing half-written, and
// a write that reads a principal waits for one that deletes it.
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../src/kernel/errors.ts";
import type { AuditRecord } from "../../src/kernel/records.ts";
import { SCHEMA_VERSION, schemaVersion } from "../../src/store/postgres/migrations.ts";
import { openPostgresStore, type PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { verifyChain } from "../../src/audit/audit-chain.ts";
import { freshPgDatabase, testPgUrl } from "../helpers/postgres.ts";

const event = (targetId: string): Omit<AuditRecord, "sequence"> => ({
  time: 1, organizationId: "o", projectId: null, actorType: "system", actorId: "system", action: "user.changed",
  targetType: "user", targetId, requestId: "", before: null, after: null,
});
const ANY = { projectId: "", actorId: "", targetId: "", action: "", actionPrefix: "", startTime: null, endTime: null };

/** A promise and the function that resolves it: where a transaction waits, mid-way, for the test. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** Waits until PostgreSQL reports `n` audit locks of this schema held (granted) or awaited: then the interleaving is certain. */
async function advisoryLocks(admin: pg.Client, granted: boolean, n: number): Promise<void> {
  for (;;) {
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted = $1 AND classid = 2 AND objsubid = 2
       AND objid::bigint = (hashtext(current_schema())::bigint & 4294967295)`,
      [granted],
    );
    if (rows[0].n >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(!testPgUrl)("the PostgreSQL store", () => {
  let url: string;
  let store: PostgresStore;
  let admin: pg.Client;
  beforeEach(async () => {
    url = await freshPgDatabase();
    store = await openPostgresStore(url, { poolSize: 4 });
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterEach(async () => {
    await admin.end();
    await store.end();
  });

  it("never lets a watcher skip an event that commits after a later allocation would have", async () => {
    const first = gate();
    // A allocates its sequence, then holds its commit until the test says so.
    const a = store.write(async (tx) => {
      const s = await tx.audit.append(event("a"));
      await first.opened;
      return s;
    });
    await advisoryLocks(admin, true, 1);
    // B, on another connection, wants a sequence too: it must wait for A.
    let bDone = false;
    const b = store.write(async (tx) => tx.audit.append(event("b"))).then((s) => ((bDone = true), s));
    await advisoryLocks(admin, false, 1);
    // The watcher reads past its last sequence (0) while A is uncommitted and B waits: nothing to deliver yet.
    const delivered: number[] = [];
    const watch = async () => {
      const last = delivered.at(-1) ?? 0;
      for (const e of await store.read.audit.list("o", ANY, last, 100)) delivered.push(e.sequence);
    };
    await watch();
    expect(delivered).toEqual([]);
    expect(bDone).toBe(false);
    first.open();
    expect(await a).toBe(1);
    expect(await b).toBe(2);
    await watch();
    expect(delivered).toEqual([1, 2]);
    expect(await verifyChain(store.read.audit)).toMatchObject({ ok: true, checked: 2 });
  });

  it("gives the sequence of a rolled-back append to the next one (no gap)", async () => {
    const first = gate();
    const a = store.write(async (tx) => {
      await tx.audit.append(event("a"));
      await first.opened;
      throw new Error("undo");
    });
    await advisoryLocks(admin, true, 1);
    const b = store.write(async (tx) => tx.audit.append(event("b")));
    await advisoryLocks(admin, false, 1);
    first.open();
    await expect(a).rejects.toThrow("undo");
    expect(await b).toBe(1);
    expect((await store.read.audit.list("o", ANY, 0, 10)).map((e) => e.targetId)).toEqual(["b"]);
    expect(await store.read.audit.lastAssignedSequence()).toBe(1);
  });

  it("migrates once when several stores open the same new database together", async () => {
    const fresh = await freshPgDatabase();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(fresh, { poolSize: 2 })));
    const c = new pg.Client({ connectionString: fresh });
    await c.connect();
    expect(await schemaVersion(c)).toBe(SCHEMA_VERSION);
    expect((await c.query("SELECT count(*)::int AS n FROM schema_version")).rows[0].n).toBe(1);
    await c.end();
    await Promise.all(stores.map((s) => s.end()));
  });

  it("answers UNAVAILABLE when the connection is lost mid-write, and keeps none of it", async () => {
    const midway = gate();
    const inside = gate();
    const write = store.write(async (tx) => {
      await tx.orgs.insert({ id: "o", name: "O", slug: "o", createdAt: 1 });
      inside.open();
      await midway.opened;
      await tx.orgs.insert({ id: "o2", name: "O2", slug: "o2", createdAt: 1 });
    });
    await inside.opened;
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'");
    midway.open();
    const err = await write.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("unavailable");
    expect(await store.read.orgs.count()).toBe(0);
  });

  it("runs a write that reads a principal after one that deletes it, which then finds it gone", async () => {
    await store.write(async (tx) => {
      await tx.orgs.insert({ id: "o", name: "O", slug: "o", createdAt: 1 });
      await tx.users.insert({ id: "u", organizationId: "o", email: "u@x.test", firstName: "U", lastName: "U", isInstanceAdmin: false, createdAt: 1 });
    });
    const inside = gate();
    const release = gate();
    const deletion = store.write(async (tx) => {
      await tx.users.get("u");
      inside.open();
      await release.opened;
      await tx.users.delete("u");
    });
    await inside.opened;
    const adder = store.write(async (tx) => tx.users.get("u"));
    // Until the adder is seen waiting for the deletion's row lock, or (without the lock) has read the row.
    let looking = true;
    const waiting = (async () => {
      while (looking) {
        const { rows } = await admin.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'SELECT * FROM users WHERE id = $1%'",
        );
        if (rows[0].n > 0) return "waiting";
        await new Promise((r) => setTimeout(r, 10));
      }
      return "gave up";
    })();
    const first = await Promise.race([waiting, adder.then(() => "read")]);
    looking = false;
    expect(first).toBe("waiting");
    release.open();
    await deletion;
    expect(await adder).toBeNull();
  });
});
