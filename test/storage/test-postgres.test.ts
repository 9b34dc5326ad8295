// The test run's PostgreSQL (test/helpers/postgres-global.ts): reachable, and
// every database made for a test is a fresh one of its own.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { freshPgDatabase, testPgUrl } from "../helpers/postgres.ts";

describe.skipIf(!testPgUrl)("test PostgreSQL", () => {
  it("gives each caller an empty schema of its own", async () => {
    const [a, b] = await Promise.all([freshPgDatabase(), freshPgDatabase()]);
    expect(a).not.toBe(b);
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    try {
      await client.query("CREATE TABLE marker (x int)");
      const other = new pg.Client({ connectionString: b });
      await other.connect();
      const { rows } = await other.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'marker' AND schemaname = current_schema()");
      await other.end();
      expect(rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });
});
