// The database files hold emails and token hashes: they are created readable
// by their owner only, and a database created earlier with wider rights is
// narrowed when the server opens it.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWorld } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const mode = (f: string) => statSync(f).mode & 0o777;
let ts: TestServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await ts?.close();
  ts = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("database file modes", () => {
  it("a new database, its WAL and its shared memory are 0600 after writes", async () => {
    const previous = process.umask(0o022); // the usual umask, which would make them 0644
    try {
      ts = await startTestServer({ file: true });
      await createWorld(ts);
    } finally {
      process.umask(previous);
    }
    for (const f of [ts.dbPath, `${ts.dbPath}-wal`, `${ts.dbPath}-shm`]) expect([f, mode(f)]).toEqual([f, 0o600]);
  });

  it("a database file left 0644 by an older version is narrowed to 0600 on open", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modes-"));
    dirs.push(dir);
    const db = join(dir, "membership.db");
    writeFileSync(db, "");
    chmodSync(db, 0o644);
    ts = await startTestServer({ db });
    await createWorld(ts);
    expect(mode(db)).toBe(0o600);
    expect(mode(`${db}-wal`)).toBe(0o600);
  });
});
