// The tamper-evident audit trail: changes written through the server verify;
// a row edited with the sqlite3 command line (or a second connection where
// there is none), a deleted row and a cut-off tail are each reported at
// exactly their sequence. VerifyAuditChain is called over @grpc/grpc-js; the
// offline check (scripts/verify-audit-chain.ts) runs beside the server.
import Database from "better-sqlite3";
import { createClient } from "@connectrpc/connect";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuditChainProblem, AuditService } from "../../gen/membership/v1/audit_pb.js";
import { verifyChain } from "../../src/audit/audit-chain.ts";
import { audited, SYSTEM_ACTOR } from "../../src/audit/audit-log.ts";
import { createManualClock } from "../../src/kernel/clock.ts";
import { createIdGenerator } from "../../src/kernel/ids.ts";
import type { ChangeNotifier } from "../../src/kernel/store.ts";
import { migrate } from "../../src/store/sqlite/migrations.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { createWorld } from "../helpers/fixtures.ts";
import { createGrpcJsTransport, type GrpcJsTransport } from "../helpers/grpc-js-transport.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let ts: TestServer | undefined;
let grpc: GrpcJsTransport | undefined;
let store: SqliteStore | undefined;
let dir = "";
afterEach(async () => {
  grpc?.close();
  store?.close();
  await ts?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  ts = grpc = store = undefined;
  dir = "";
});

const hasSqlite3Cli = (() => {
  try {
    execFileSync("sqlite3", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Runs SQL on the file from outside the server: the sqlite3 command line, else a connection of its own. */
function tamper(file: string, sql: string): void {
  if (hasSqlite3Cli) {
    execFileSync("sqlite3", ["-cmd", ".timeout 5000", file, sql], { stdio: ["ignore", "ignore", "pipe"] });
    return;
  }
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** The offline check, as an operator runs it beside the server: its exit code and its one line. */
function offlineCheck(file: string): { status: number | null; line: string } {
  const r = spawnSync(process.execPath, ["scripts/verify-audit-chain.ts", file], { cwd: join(import.meta.dirname, "../.."), encoding: "utf8" });
  return { status: r.status, line: (r.stdout + r.stderr).trim() };
}

function auditRows(file: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT * FROM audit_events ORDER BY sequence").all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe("VerifyAuditChain", () => {
  it("verifies a trail written through the server and reports an edited, a deleted and a cut-off event at its sequence", async () => {
    ts = await startTestServer({ file: true });
    const w = await createWorld(ts);
    for (let i = 0; i < 3; i++) {
      const u = await w.newUser();
      await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["viewer"] }, w.admin);
      await w.c.members.updateProjectMember({ projectId: w.projectId, userId: u.id, roles: ["member"] }, w.admin);
    }
    grpc = createGrpcJsTransport(ts.url);
    const audit = createClient(AuditService, grpc);
    const verify = () => audit.verifyAuditChain({}, w.admin);
    const file = ts.dbPath;
    const rows = auditRows(file);
    const n = rows.length;
    expect(n).toBeGreaterThan(10);

    expect(await verify()).toMatchObject({ ok: true, eventsChecked: BigInt(n), firstBrokenSequence: 0n, problem: AuditChainProblem.UNSPECIFIED });

    // An edited actor is reported at that event only; put back, the chain is whole again.
    const k = 7;
    const original = rows[k - 1]!;
    tamper(file, `UPDATE audit_events SET actor_id = 'someone-else' WHERE sequence = ${k}`);
    expect(await verify()).toMatchObject({ ok: false, eventsChecked: BigInt(k), firstBrokenSequence: BigInt(k), problem: AuditChainProblem.ALTERED });
    expect(offlineCheck(file)).toEqual({ status: 1, line: `audit chain broken at sequence ${k} (altered) after ${k} events checked` });
    tamper(file, `UPDATE audit_events SET actor_id = '${String(original["actor_id"])}' WHERE sequence = ${k}`);
    expect(await verify()).toMatchObject({ ok: true, eventsChecked: BigInt(n) });
    expect(offlineCheck(file)).toEqual({ status: 0, line: `audit chain ok: ${n} events checked` });

    // An edited "after" document, and an edited stored hash, are reported too.
    tamper(file, `UPDATE audit_events SET after = replace(after, 'member', 'admin') WHERE sequence = ${n}`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: BigInt(n), problem: AuditChainProblem.ALTERED });
    tamper(file, `UPDATE audit_events SET after = '${String(rows[n - 1]!["after"])}' WHERE sequence = ${n}`);
    tamper(file, `UPDATE audit_events SET hash = zeroblob(32) WHERE sequence = 3`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: 3n, problem: AuditChainProblem.ALTERED });
    tamper(file, `UPDATE audit_events SET hash = x'${(rows[2]!["hash"] as Buffer).toString("hex")}' WHERE sequence = 3`);
    expect(await verify()).toMatchObject({ ok: true });

    // A deleted event in the middle, then the newest one: each is missing at its sequence.
    tamper(file, `DELETE FROM audit_events WHERE sequence = 5`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: 5n, problem: AuditChainProblem.MISSING, eventsChecked: 5n });
    const db = new Database(file);
    db.prepare(`INSERT INTO audit_events (${Object.keys(rows[4]!).join(", ")}) VALUES (${Object.keys(rows[4]!).map((c) => `@${c}`).join(", ")})`).run(rows[4]!);
    db.close();
    expect(await verify()).toMatchObject({ ok: true, eventsChecked: BigInt(n) });
    tamper(file, `DELETE FROM audit_events WHERE sequence = ${n}`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: BigInt(n), problem: AuditChainProblem.MISSING, eventsChecked: BigInt(n - 1) });
  });

  it("stays whole when writes of one batch fail and roll back between writes that commit", async () => {
    dir = mkdtempSync(join(tmpdir(), "audit-chain-"));
    store = openSqliteStore(join(dir, "m.db"));
    const changes: ChangeNotifier = { notify: () => {}, wait: async () => {} };
    const clock = createManualClock(1_000);
    const deps = { store, clock, ids: createIdGenerator(), changes };
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        audited(deps, SYSTEM_ACTOR, async (tx, record) => {
          await tx.orgs.insert({ id: `org-${i}`, name: `o${i}`, slug: `o${i}`, createdAt: 1 });
          await record({ action: "organization.created", targetType: "organization", targetId: `org-${i}`, organizationId: `org-${i}`, projectId: null, before: null, after: { i } });
          if (i % 3 === 1) throw new Error("rolled back after its event was sealed");
        }),
      ),
    );
    const committed = results.filter((r) => r.status === "fulfilled").length;
    expect(committed).toBe(13);
    expect(store.stats.commits).toBeLessThan(20); // they did share transactions
    expect(await verifyChain(store.read.audit)).toEqual({ ok: true, checked: 13, firstBroken: null });
  });

  it("hashes the events written before the chain existed when the database is migrated", async () => {
    dir = mkdtempSync(join(tmpdir(), "audit-chain-"));
    const file = join(dir, "m.db");
    const old = new Database(file);
    migrate(old, 2);
    const insert = old.prepare(
      `INSERT INTO audit_events (time, organization_id, project_id, actor_type, actor_id, action, target_type, target_id, request_id, before, after)
       VALUES (?, 'org', NULL, 'system', 'system', 'organization.created', 'organization', ?, '', NULL, ?)`,
    );
    old.transaction(() => {
      for (let i = 1; i <= 1500; i++) insert.run(i, `t${i}`, JSON.stringify({ i }));
    })();
    old.close();

    store = openSqliteStore(file);
    expect(await verifyChain(store.read.audit)).toEqual({ ok: true, checked: 1500, firstBroken: null });
    tamper(file, "UPDATE audit_events SET time = 0 WHERE sequence = 1200");
    expect(await verifyChain(store.read.audit)).toEqual({ ok: false, checked: 1200, firstBroken: { sequence: 1200, problem: "altered" } });
  });
});
