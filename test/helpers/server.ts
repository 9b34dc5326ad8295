// Starts the real server in-process on 127.0.0.1:0 with its own database:
// SQLite in memory (or a temp file), or, in the "postgres" vitest project
// (MEMBERSHIP_TEST_STORE=postgres), a fresh database on the run's PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/app.ts";
import type { Config } from "../../src/config.ts";
import { createManualClock } from "../../src/kernel/clock.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { freshPgDatabase, worldsOnPostgres } from "./postgres.ts";

export interface TestServer {
  server: RunningServer;
  url: string;
  /** The bootstrap token of the instance administrator. */
  adminToken: string;
  orgId: string;
  adminUserId: string;
  clock: ReturnType<typeof createManualClock> | null;
  /** Log lines the server wrote, for assertions that nothing leaks. */
  logs: string[];
  /** The database file, ":memory:", or a PostgreSQL URL. */
  dbPath: string;
  close(): Promise<void>;
}

export interface TestServerOptions extends Partial<Config> {
  /** Use a manual clock starting at this time (ms) instead of the system clock. */
  clockAt?: number;
  /** Keep the database in a temp file rather than in memory. */
  file?: boolean;
  /** The built web console to serve (test/browser/). */
  consoleDir?: string;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    host: "127.0.0.1",
    port: 0,
    db: ":memory:",
    dbConnection: { poolSize: 4, statementTimeoutMs: 30_000, tls: "off", tlsCa: null },
    tlsCert: null,
    tlsKey: null,
    corsOrigins: [],
    readMaxBytes: 4 * 1024 * 1024,
    tokenFile: null,
    logLevel: "debug",
    shutdownGraceMs: 2000,
    headersTimeoutMs: 10_000,
    bodyTimeoutMs: 30_000,
    requestTimeoutMs: 300_000,
    idleTimeoutMs: 60_000,
    fastPath: process.env.MEMBERSHIP_FAST_PATH !== "off",
    metrics: "main",
    jwtProviders: [],
    // Every test client shares 127.0.0.1, and many probe with bad tokens on
    // purpose; the failure budget is tested on its own (test/access/auth-fail-limit).
    authFailBudget: 0,
    authFailWindowMs: 60_000,
    ...overrides,
  };
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const { clockAt, file, consoleDir, ...overrides } = opts;
  const dir = file ? mkdtempSync(join(tmpdir(), "membership-test-")) : null;
  const pg = worldsOnPostgres && !file && overrides.db === undefined ? await freshPgDatabase() : null;
  const config = testConfig({ ...(dir ? { db: join(dir, "membership.db") } : {}), ...(pg ? { db: pg } : {}), ...overrides });
  const logs: string[] = [];
  const logger: Logger = createLogger("debug", (line) => logs.push(line));
  const clock = clockAt === undefined ? null : createManualClock(clockAt);
  const server = await startServer(config, { logger, ...(clock ? { clock } : {}), ...(consoleDir ? { consoleDir } : {}) });
  if (!server.bootstrap) throw new Error("test server expected an empty database");
  return {
    server,
    url: server.url,
    adminToken: server.bootstrap.secret,
    orgId: server.bootstrap.organizationId,
    adminUserId: server.bootstrap.userId,
    clock,
    logs,
    dbPath: config.db,
    async close() {
      await server.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Call options with a bearer token and, optionally, an organization. */
export function auth(token: string, orgId?: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${token}`, ...(orgId ? { "x-zitadel-orgid": orgId } : {}) } };
}
