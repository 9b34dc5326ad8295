// A database the server cannot write is refused at start, with one line on
// stderr naming its path and exit code 1, whichever way it is read-only.
// Mode bits do not stop root, so as root the test uses what does: a
// read-only mount (a tmpfs the test makes) and the immutable attribute.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { runServerProcessToExit } from "../helpers/server-process.ts";
import { mountTmpfs } from "../helpers/tmpfs.ts";

const isRoot = process.getuid?.() === 0;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanups.splice(0).reverse()) undo();
});

/** A migrated database in `dir` (a fresh temp folder unless given), as an earlier start left it. */
function existingDatabase(inside?: string): string {
  const dir = inside ?? mkdtempSync(join(tmpdir(), "read-only-"));
  if (!inside) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, "membership.db");
  openSqliteStore(db).close();
  return db;
}

/** Sets the immutable attribute, or says why it cannot. */
function immutable(path: string): string | null {
  try {
    execFileSync("chattr", ["+i", path], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    return `chattr +i is not available here: ${(err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message}`;
  }
  cleanups.push(() => execFileSync("chattr", ["-i", path]));
  return null;
}

async function expectRefused(db: string, naming: RegExp) {
  const { code, stdout, stderr } = await runServerProcessToExit(["--db", db, "--port", "0"]);
  expect(code).toBe(1);
  expect(stdout).not.toMatch(/listening/);
  const lines = stderr.split("\n").filter((l) => l !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^membership-server: database ${db.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not writable: `));
  expect(lines[0]).toMatch(naming);
  expect(lines[0]).not.toMatch(/\bat .*:\d+/); // no stack frame
  expect(existsSync(`${db}.admin-token`)).toBe(false);
}

describe("a read-only database at start", () => {
  it.skipIf(isRoot)("mode 0444 on the file and 0555 on its folder (mode bits do not stop root)", async () => {
    const db = existingDatabase();
    const dir = join(db, "..");
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
    cleanups.push(() => chmodSync(dir, 0o700));
    await expectRefused(db, /folder .* is not writable \(EACCES\)/);
  });

  it("a read-only mount", async (ctx) => {
    const disk = mountTmpfs("2m");
    if ("unavailable" in disk) return ctx.skip(disk.unavailable);
    cleanups.push(() => disk.unmount());
    const db = existingDatabase(disk.dir);
    disk.remount("ro");
    await expectRefused(db, /its folder .* is not writable \(EROFS\)/);
    await expectRefused(join(disk.dir, "new", "membership.db"), /its folder .* cannot be created \(EROFS\)/);
  });

  it("an immutable database file", async (ctx) => {
    const db = existingDatabase();
    const why = immutable(db);
    if (why) return ctx.skip(why);
    await expectRefused(db, /the file is not writable \((EPERM|EACCES)\)/);
  });

  it("a writable file in an immutable folder, where the WAL cannot be created", async (ctx) => {
    const db = existingDatabase();
    const why = immutable(join(db, ".."));
    if (why) return ctx.skip(why);
    await expectRefused(db, /its folder .* is not writable \((EPERM|EACCES)\)/);
  });
});
