// The connection pool to PostgreSQL. Types: bigint columns (times in
// milliseconds, sequences, counts) come back as numbers, as the records
// carry them; every value we store stays far below 2^53.
import { readFileSync } from "node:fs";
import pg from "pg";
import type { DbConnection as PgOptions } from "../db-connection.ts";

export type { PgOptions };

const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

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
