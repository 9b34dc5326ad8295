// backup and restore as an operator runs them beside a real server process:
// a backup taken while the server commits writes is one consistent snapshot
// holding every write acknowledged before it began, and restore refuses to
// replace a database that a server has open.
import Database from "better-sqlite3";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, cliJson, latestSchemaVersion } from "../helpers/cli-process.ts";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.ts";

const dir = mkdtempSync(join(tmpdir(), "backup-restore-"));
let server: ServerProcess | null = null;
afterAll(async () => {
  if (server) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

const dbPath = join(dir, "live.db");
const copyPath = join(dir, "copy.db");

/** Some MiB of rows, so the copy takes many backup steps between which the server commits. */
function pad(path: string): void {
  const db = new Database(path);
  db.pragma("busy_timeout = 5000");
  db.exec("CREATE TABLE padding (b BLOB)");
  const insert = db.prepare("INSERT INTO padding VALUES (randomblob(131072))");
  db.transaction(() => {
    for (let i = 0; i < 64; i++) insert.run();
  })();
  db.close();
}

describe("backup and restore", () => {
  it("back up while the server writes, then restore only once it has stopped", async () => {
    const tokenFile = join(dir, "live.token");
    server = await startServerProcess(["serve", "--port", "0", "--db", dbPath, "--token-file", tokenFile, "--log-level", "warn"]);
    const token = readFileSync(tokenFile, "utf8").trim();
    pad(dbPath);

    // One write at a time, so `acked` is the commit order.
    const acked: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const email = `user${i}@example.com`;
        const res = await fetch(`${server!.url}/membership.v1.UserService/CreateUser`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ email, firstName: "U", lastName: String(i) }),
        });
        if (res.status !== 200) throw new Error(`CreateUser answered ${res.status}: ${await res.text()}`);
        acked.push(email);
      }
    })();
    while (acked.length < 10) await new Promise((r) => setTimeout(r, 10));
    const ackedBefore = acked.length;
    const backup = await cli(["backup", copyPath, "--db", dbPath, "--json"]);
    const ackedDuring = acked.length - ackedBefore;
    stop = true;
    await writer;

    expect([backup.code, backup.stderr]).toEqual([0, ""]);
    // The server went on committing while the backup ran: the case under test happened.
    expect(ackedDuring).toBeGreaterThan(0);
    const copy = new Database(copyPath, { readonly: true });
    try {
      expect(copy.pragma("quick_check", { simple: true })).toBe("ok");
      const users = copy.prepare("SELECT id, email FROM users WHERE is_instance_admin = 0 ORDER BY id").all() as { id: string; email: string }[];
      // One snapshot: a prefix of the commit order, with every write acknowledged before the backup began.
      expect(users.map((u) => u.email)).toEqual(acked.slice(0, users.length));
      expect(users.length).toBeGreaterThanOrEqual(ackedBefore);
      // Each user arrived with its audit event, in the same transaction: nothing torn.
      expect(copy.prepare("SELECT target_id FROM audit_events WHERE action = 'user.created' ORDER BY sequence").pluck().all()).toEqual(users.map((u) => u.id));
      expect(copy.prepare("SELECT count(*) FROM padding").pluck().get()).toBe(64);
      const last = copy.prepare("SELECT max(sequence) FROM audit_events").pluck().get();
      expect(JSON.parse(backup.stdout)).toMatchObject({ db: dbPath, file: copyPath, sequence: last });
    } finally {
      copy.close();
    }
    expect(statSync(copyPath).mode & 0o777).toBe(0o600);
    const copied = readFileSync(copyPath);

    const [again, live] = await Promise.all([
      cli(["backup", copyPath, "--db", dbPath]),
      cli(["restore", copyPath, "--db", dbPath, "--force"]),
    ]);
    expect([again.code, again.stderr]).toEqual([1, `membership-server: ${copyPath} exists; add --force to replace it\n`]);
    expect(readFileSync(copyPath).equals(copied)).toBe(true);
    expect([live.code, live.stderr]).toEqual([1, `membership-server: ${dbPath} is open in another process, such as a running server; stop it, then restore\n`]);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    server = null;
    const fresh = join(dir, "fresh", "restored.db");
    const [withoutForce, intoNew] = await Promise.all([cli(["restore", copyPath, "--db", dbPath]), cli(["restore", copyPath, "--db", fresh])]);
    expect([withoutForce.code, withoutForce.stderr]).toEqual([1, `membership-server: ${dbPath} exists; add --force to replace it with ${copyPath}\n`]);
    expect([intoNew.code, intoNew.stderr]).toEqual([0, ""]);
    const restored = await cli(["restore", copyPath, "--db", dbPath, "--force"]);
    expect([restored.code, restored.stdout, restored.stderr]).toEqual([0, `restored ${dbPath} from ${copyPath} (schema version ${await latestSchemaVersion()})\n`, ""]);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);

    // The restored database is the backup: the writes made after the snapshot are gone.
    const [listed, listedNew] = await Promise.all([cliJson(["user", "list", "--db", dbPath]), cliJson(["user", "list", "--db", fresh])]);
    const inCopy = listed.filter((u: any) => !u.isInstanceAdmin).map((u: any) => u.email);
    expect(inCopy.length).toBeGreaterThanOrEqual(ackedBefore);
    expect(inCopy).toEqual(acked.slice(0, inCopy.length));
    expect(listedNew).toEqual(listed);
  });
});
