// The connection pool to PostgreSQL. Types: bigint columns (times in
// milliseconds, sequences, counts) come back as numbers, as the records
// carry them; every value we store stays far below 2^53.
import { readFileSync } from "node:fs";
import pg from "pg";

export type DbTls = "off" | "on" | "verify";

/** How the server talks to PostgreSQL (--db-pool-size, --db-statement-timeout, --db-tls, --db-tls-ca). */
export interface PgOptions {
  poolSize: number;
  /** Longest a statement may run, in milliseconds; 0 leaves PostgreSQL's own setting. */
  statementTimeoutMs: number;
  /** off: plain TCP; on: TLS without checking the certificate; verify: TLS checked against the CA (or the system's). */
  tls: DbTls;
  /** A PEM file of the CA that signed the database's certificate (verify). */
  tlsCa: string | null;
}

export const DEFAULT_PG_OPTIONS: PgOptions = { poolSize: 10, statementTimeoutMs: 30_000, tls: "off", tlsCa: null };

const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/** True for postgres:// and postgresql:// URLs, which --db takes beside a SQLite file path. */
export const isPostgresUrl = (db: string) => /^postgres(ql)?:\/\//i.test(db);

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparsable URL)";
  }
}

function ssl(opts: PgOptions): pg.PoolConfig["ssl"] {
  if (opts.tls === "off") return undefined;
  if (opts.tls === "on") return { rejectUnauthorized: false };
  return { rejectUnauthorized: true, ...(opts.tlsCa ? { ca: readFileSync(opts.tlsCa, "utf8") } : {}) };
}

/**
 * A pool of `poolSize` connections. An idle connection the server drops
 * (restart, network) emits an error on the pool: it is reported, not thrown,
 * and the pool opens a new one on the next query.
 */
export function createPgPool(url: string, opts: PgOptions, onIdleError: (err: Error) => void): pg.Pool {
  // sslmode in the URL would override the ssl option: --db-tls decides.
  const u = new URL(url);
  for (const k of ["sslmode", "sslcert", "sslkey", "sslrootcert"]) u.searchParams.delete(k);
  const pool = new pg.Pool({
    connectionString: u.toString(),
    max: opts.poolSize,
    ssl: ssl(opts),
    types,
    connectionTimeoutMillis: 10_000,
    application_name: "membership-server",
    ...(opts.statementTimeoutMs > 0 ? { statement_timeout: opts.statementTimeoutMs } : {}),
  });
  pool.on("error", onIdleError);
  return pool;
}
