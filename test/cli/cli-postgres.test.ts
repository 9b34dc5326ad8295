// The command line on a PostgreSQL database: --db takes a postgres:// URL;
// migrate, the server and the offline commands work on it, sharing one
// database; backup and restore refuse it and name PostgreSQL's own tools;
// bad connection settings are reported under the option's name, and a
// password in the URL never reaches what is printed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../src/store/postgres/migrations.ts";
import { cli, cliJson } from "../helpers/cli-process.ts";
import { freshPgDatabase, testPgUrl } from "../helpers/postgres.ts";

const dir = mkdtempSync(join(tmpdir(), "cli-pg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!testPgUrl)("the command line on PostgreSQL", () => {
  it("migrates a database, then an offline command bootstraps nothing and says to start the server", async () => {
    const url = await freshPgDatabase();
    expect(await cliJson(["migrate", "--db", url])).toMatchObject({ from: 0, to: SCHEMA_VERSION });
    expect(await cliJson(["migrate", "--db", url])).toMatchObject({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    const r = await cli(["org", "list", "--db", url]);
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining("start the server once")]);
  });

  it("refuses backup and restore of a PostgreSQL database and names pg_dump and pg_restore", async () => {
    const url = await freshPgDatabase();
    const [backup, restore] = await Promise.all([cli(["backup", join(dir, "b.db"), "--db", url]), cli(["restore", join(dir, "b.db"), "--db", url])]);
    expect([backup.code, restore.code]).toEqual([2, 2]);
    expect(backup.stderr).toContain("pg_dump");
    expect(restore.stderr).toContain("pg_restore");
  });

  it("names the option of a bad connection setting, and hides the password of an unreachable database", async () => {
    const [tls, pool, ca, url, down] = await Promise.all([
      cli(["serve", "--db", "postgres://u@h/d", "--db-tls", "maybe"]),
      cli(["serve", "--db", "postgres://u@h/d"], { env: { MEMBERSHIP_DB_POOL_SIZE: "0" } }),
      cli(["migrate", "--db", "postgres://u@h/d", "--db-tls-ca", join(dir, "ca.pem")]),
      cli(["serve", "--db", "postgres://"]),
      cli(["migrate", "--db", "postgres://me:s3cret@127.0.0.1:1/nothing"]),
    ]);
    expect([tls.code, tls.stderr]).toEqual([2, expect.stringContaining("--db-tls must be off, on or verify")]);
    expect([pool.code, pool.stderr]).toEqual([2, expect.stringContaining("MEMBERSHIP_DB_POOL_SIZE must be a whole number")]);
    expect([ca.code, ca.stderr]).toEqual([2, expect.stringContaining("--db-tls-ca is set but --db-tls is not verify")]);
    expect([url.code, url.stderr]).toEqual([2, expect.stringContaining("--db names no host")]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("cannot migrate the PostgreSQL database postgres://me:***@127.0.0.1:1/nothing");
    expect(down.stderr).not.toContain("s3cret");
  });
});
