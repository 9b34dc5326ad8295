// Migration 4 on PostgreSQL, as on SQLite (test/organization/org-slug.test.ts):
// organizations of an older database get slugs from their names, the oldest
// the plain one, and the unique index keeps them apart afterwards.
import pg from "pg";
import { describe, expect, it, onTestFinished } from "vitest";
import { migratePostgres, SCHEMA_VERSION } from "../../src/store/postgres/migrations.ts";
import { freshPgDatabase, testPgUrl } from "../helpers/postgres.ts";

describe.skipIf(!testPgUrl)("organization slugs in PostgreSQL's migration 4", () => {
  it("backfills slugs oldest first and keeps them unique", async () => {
    const pool = new pg.Pool({ connectionString: await freshPgDatabase(), max: 2 });
    onTestFinished(() => pool.end());
    expect(await migratePostgres(pool, 3)).toBe(3);
    await pool.query("INSERT INTO organizations VALUES ('a', 'Acme', 2), ('b', 'Acme', 1), ('c', 'Zeta Labs', 3)");
    expect(await migratePostgres(pool)).toBe(SCHEMA_VERSION);
    const { rows } = await pool.query("SELECT id, slug FROM organizations ORDER BY id");
    expect(rows).toEqual([
      { id: "a", slug: "acme-2" },
      { id: "b", slug: "acme" },
      { id: "c", slug: "zeta-labs" },
    ]);
    await expect(pool.query("UPDATE organizations SET slug = 'acme' WHERE id = 'c'")).rejects.toMatchObject({ code: "23505" });
  });
});
