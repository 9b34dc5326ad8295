// vitest globalSetup: one throwaway PostgreSQL server for the whole run
// (scripts/test-postgres.ts), its URL handed to the test processes through
// MEMBERSHIP_TEST_PG_URL (its database membership_test); each test file or
// world makes a schema of its own there (test/helpers/postgres.ts). Without PostgreSQL the PostgreSQL tests
// are skipped, unless REQUIRE_TEST_TOOLS=1 (CI), where that is a failure.
import pg from "pg";
import { findPostgresBin, startTestPostgres } from "../../scripts/test-postgres.ts";

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.MEMBERSHIP_TEST_PG_URL) return undefined;
  const bin = findPostgresBin();
  if (!bin) {
    if (process.env.REQUIRE_TEST_TOOLS === "1") throw new Error("REQUIRE_TEST_TOOLS=1 but PostgreSQL is not installed (scripts/install-test-tools.sh installs it)");
    console.warn("PostgreSQL is not installed: its tests are skipped");
    return undefined;
  }
  const server = await startTestPostgres(bin);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query("CREATE DATABASE membership_test");
  await admin.end();
  const url = new URL(server.url);
  url.pathname = "/membership_test";
  process.env.MEMBERSHIP_TEST_PG_URL = url.toString();
  return () => server.stop();
}
