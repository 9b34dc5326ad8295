// A database of its own on the test run's PostgreSQL (postgres-global.ts), for
// a test file or a world: CREATE DATABASE copies the template in milliseconds,
// so tests stay isolated and run in parallel. Databases are not dropped: the
// whole cluster is removed at the end of the run.
import pg from "pg";

/** The run's PostgreSQL maintenance URL, or undefined when PostgreSQL is not available (tests skip). */
export const testPgUrl = process.env.MEMBERSHIP_TEST_PG_URL;

/** True when test worlds run on PostgreSQL instead of SQLite (the "postgres" vitest project). */
export const worldsOnPostgres = process.env.MEMBERSHIP_TEST_STORE === "postgres";

let n = 0;

/** A new, empty database; its URL. */
export async function freshPgDatabase(): Promise<string> {
  if (!testPgUrl) throw new Error("MEMBERSHIP_TEST_PG_URL is not set: no test PostgreSQL (see test/helpers/postgres-global.ts)");
  const name = `t_${process.pid}_${++n}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: testPgUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPgUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
