// A database of its own on the test run's PostgreSQL (postgres-global.ts), for
// a test file or a world: a schema of its own in the run's test database,
// named by the URL's search_path. CREATE SCHEMA takes milliseconds where
// CREATE DATABASE copies a template (a second and more on a busy machine),
// and the server's tables, advisory locks and audit trail are all per schema,
// so worlds stay isolated and run in parallel. Nothing is dropped: the whole
// cluster is removed at the end of the run.
import pg from "pg";

/** The run's test database URL, or undefined when PostgreSQL is not available (tests skip). */
export const testPgUrl = process.env.MEMBERSHIP_TEST_PG_URL;

/** True when test worlds run on PostgreSQL instead of SQLite (the "postgres" vitest project). */
export const worldsOnPostgres = process.env.MEMBERSHIP_TEST_STORE === "postgres";

let n = 0;

/** A new, empty schema; the URL that makes it the connection's own. */
export async function freshPgDatabase(): Promise<string> {
  if (!testPgUrl) throw new Error("MEMBERSHIP_TEST_PG_URL is not set: no test PostgreSQL (see test/helpers/postgres-global.ts)");
  const name = `w_${process.pid}_${++n}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: testPgUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPgUrl);
  url.searchParams.set("options", `-c search_path=${name}`);
  return url.toString();
}
