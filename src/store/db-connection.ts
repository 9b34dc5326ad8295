// What --db names and how a PostgreSQL database is reached, without loading a
// driver: config and the command line read these; store/open-store.ts acts on them.

export type DbTls = "off" | "on" | "verify";

/** How the server talks to PostgreSQL (--db-pool-size, --db-statement-timeout-ms, --db-tls, --db-tls-ca). */
export interface DbConnection {
  poolSize: number;
  /** Longest a statement may run, in milliseconds; 0 leaves PostgreSQL's own setting. */
  statementTimeoutMs: number;
  /** off: plain TCP; on: TLS without checking the certificate; verify: TLS checked against the CA (or the system's). */
  tls: DbTls;
  /** A PEM file of the CA that signed the database's certificate (verify). */
  tlsCa: string | null;
}

export const DEFAULT_DB_CONNECTION: DbConnection = { poolSize: 10, statementTimeoutMs: 30_000, tls: "off", tlsCa: null };

/** True for postgres:// and postgresql:// URLs, which --db takes beside a SQLite file path. */
export const isPostgresUrl = (db: string) => /^postgres(ql)?:\/\//i.test(db);

/** The database a PostgreSQL URL names (the user's own database when the path is empty). */
export function postgresDatabaseName(url: string): string {
  const u = new URL(url);
  return decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || "postgres";
}

/** A PostgreSQL URL without its password, for logs and messages; a file path as it is. */
export function redactUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparsable URL)";
  }
}

/** Why --db's URL cannot be used, or null: a URL the driver would misread must fail here, naming the option. */
export function postgresUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "is not a valid postgres:// URL";
  }
  if (!u.hostname && !u.searchParams.get("host")) return "names no host (postgres://user:password@host:5432/database)";
  if (u.pathname.length > 1 && u.pathname.slice(1).includes("/")) return "has a path that is not one database name";
  return null;
}

/** A start or command refused because the database cannot be opened; one line for the operator, password left out. */
export class StoreOpenError extends Error {
  override name = "StoreOpenError";
}
