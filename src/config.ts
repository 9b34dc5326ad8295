// The serve options → a typed Config: flags, then environment variables, then
// the config file (src/cli/options.ts resolves them). A bad value names what
// the user set: `--port`, `MEMBERSHIP_PORT` or `port in <file>`.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadJwtProviders, type JwtProviderConfig } from "./access/jwt-config.ts";
import { CONFIG_OPTION, OptionError, UsageError, parseOptions, type ParsedOptions } from "./cli/options.ts";
import type { LogLevel } from "./logger.ts";
import { parseMetricsPlacement, type MetricsPlacement } from "./observability/metrics-placement.ts";
import { DEFAULT_DB_CONNECTION, isPostgresUrl, postgresDatabaseName, postgresUrlProblem, type DbConnection, type DbTls } from "./store/db-connection.ts";

export interface Config {
  host: string;
  port: number;
  /** A SQLite file, ":memory:" for a throwaway run, or a postgres:// URL. */
  db: string;
  /** How a PostgreSQL database is reached (pool, statement timeout, TLS); unused for SQLite. */
  dbConnection: DbConnection;
  tlsCert: string | null;
  tlsKey: string | null;
  corsOrigins: string[];
  readMaxBytes: number;
  /** Where the bootstrap token is written on first start (never over an existing file); null writes none. */
  tokenFile: string | null;
  logLevel: LogLevel;
  shutdownGraceMs: number;
  /** Connection limits of the listener (see ConnectionLimits in edge/listener-limits.ts). */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  /** Serve eligible unary calls on the raw request instead of through Connect (edge/fast-path). */
  fastPath: boolean;
  /** External identity providers whose JWTs sign users in (src/access/jwt-config.ts); none by default. */
  jwtProviders: JwtProviderConfig[];
  /** Failed authentications a client address may have per window before it is refused; 0 turns the limit off. */
  authFailBudget: number;
  authFailWindowMs: number;
  /** GET /metrics on the API's port, nowhere, or on a host:port of its own. */
  metrics: MetricsPlacement;
}

export const OPTIONS = {
  host: { type: "string", env: "MEMBERSHIP_HOST" },
  port: { type: "string", env: "MEMBERSHIP_PORT" },
  db: { type: "string", env: "MEMBERSHIP_DB" },
  "db-pool-size": { type: "string", env: "MEMBERSHIP_DB_POOL_SIZE" },
  "db-statement-timeout-ms": { type: "string", env: "MEMBERSHIP_DB_STATEMENT_TIMEOUT_MS" },
  "db-tls": { type: "string", env: "MEMBERSHIP_DB_TLS" },
  "db-tls-ca": { type: "string", env: "MEMBERSHIP_DB_TLS_CA" },
  "tls-cert": { type: "string", env: "MEMBERSHIP_TLS_CERT" },
  "tls-key": { type: "string", env: "MEMBERSHIP_TLS_KEY" },
  "cors-origins": { type: "string", env: "MEMBERSHIP_CORS_ORIGINS" },
  "read-max-bytes": { type: "string", env: "MEMBERSHIP_READ_MAX_BYTES" },
  "token-file": { type: "string", env: "MEMBERSHIP_TOKEN_FILE" },
  "log-level": { type: "string", env: "MEMBERSHIP_LOG_LEVEL" },
  "shutdown-grace-ms": { type: "string", env: "MEMBERSHIP_SHUTDOWN_GRACE_MS" },
  "headers-timeout-ms": { type: "string", env: "MEMBERSHIP_HEADERS_TIMEOUT_MS" },
  "body-timeout-ms": { type: "string", env: "MEMBERSHIP_BODY_TIMEOUT_MS" },
  "request-timeout-ms": { type: "string", env: "MEMBERSHIP_REQUEST_TIMEOUT_MS" },
  "idle-timeout-ms": { type: "string", env: "MEMBERSHIP_IDLE_TIMEOUT_MS" },
  "fast-path": { type: "string", env: "MEMBERSHIP_FAST_PATH" },
  "jwt-providers": { type: "string", env: "MEMBERSHIP_JWT_PROVIDERS" },
  "auth-fail-budget": { type: "string", env: "MEMBERSHIP_AUTH_FAIL_BUDGET" },
  "auth-fail-window-ms": { type: "string", env: "MEMBERSHIP_AUTH_FAIL_WINDOW_MS" },
  metrics: { type: "string", env: "MEMBERSHIP_METRICS" },
} as const;

export const DEFAULT_DB = "./data/membership.db";

const LEVELS: LogLevel[] = ["debug", "info", "warn", "error", "silent"];

function int(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n < min || n > max) throw new OptionError(name, `must be a whole number from ${min} to ${max}, not "${v}"`);
  return n;
}

/**
 * The token file belongs to its database: `<db>.admin-token`, so two
 * databases in one folder never share one. A throwaway in-memory database
 * gets a fresh temporary path instead, never a file beside a real database.
 */
export function defaultTokenFile(db: string): string {
  if (isPostgresUrl(db)) return `./data/${postgresDatabaseName(db)}.admin-token`;
  if (db !== ":memory:") return `${db}.admin-token`;
  return join(tmpdir(), `membership-memory-${process.pid}-${Date.now()}`, "admin-token");
}

function onOff(name: string, v: string): boolean {
  if (v === "on" || v === "true" || v === "1") return true;
  if (v === "off" || v === "false" || v === "0") return false;
  throw new OptionError(name, `must be on or off, not "${v}"`);
}

/** The serve options from command-line arguments, the environment and the config file they name. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const opts = parseOptions(argv, { ...OPTIONS, config: CONFIG_OPTION }, env, { command: "membership-server serve", settings: OPTIONS });
  if (opts.positionals.length > 0) throw new UsageError(`unexpected argument "${opts.positionals[0]}"; see membership-server serve --help`);
  return configFrom(opts);
}

/** A Config from resolved options; an invalid value is a UsageError naming where it was set. */
export function configFrom(opts: ParsedOptions): Config {
  try {
    return checkedConfig(opts);
  } catch (err) {
    if (err instanceof OptionError) throw new UsageError(`${opts.label(err.option)} ${err.message}`);
    throw err;
  }
}

/** --metrics, its fault named after wherever the user set it. */
function metricsPlacement(value: string): MetricsPlacement {
  try {
    return parseMetricsPlacement(value);
  } catch (err) {
    throw new OptionError("metrics", (err as Error).message.replace(/^--metrics\s*/, ""));
  }
}

/** How PostgreSQL is reached: --db-pool-size, --db-statement-timeout-ms, --db-tls and --db-tls-ca. */
export function dbConnectionFrom(opts: ParsedOptions): DbConnection {
  const d = DEFAULT_DB_CONNECTION;
  const tls = (opts.get("db-tls") ?? d.tls) as DbTls;
  if (!["off", "on", "verify"].includes(tls)) throw new OptionError("db-tls", `must be off, on or verify, not "${tls}"`);
  const tlsCa = opts.get("db-tls-ca") ?? null;
  if (tlsCa !== null && tls !== "verify") throw new OptionError("db-tls-ca", "is set but --db-tls is not verify; the CA is used only to verify the database's certificate");
  if (tlsCa !== null && !existsSync(tlsCa)) throw new OptionError("db-tls-ca", `names ${tlsCa}, which does not exist`);
  return {
    poolSize: int("db-pool-size", opts.get("db-pool-size") ?? String(d.poolSize), 1, 1000),
    statementTimeoutMs: int("db-statement-timeout-ms", opts.get("db-statement-timeout-ms") ?? String(d.statementTimeoutMs), 0, 86_400_000),
    tls,
    tlsCa,
  };
}

/** --db: a SQLite path as it is, a PostgreSQL URL only when the driver can use it. */
function checkedDb(db: string): string {
  const problem = isPostgresUrl(db) ? postgresUrlProblem(db) : null;
  if (problem) throw new OptionError("db", problem);
  return db;
}

/** The providers file, its faults named after wherever the user set it (flag, variable or config file). */
function jwtProviders(file: string | undefined): JwtProviderConfig[] {
  if (file === undefined) return [];
  try {
    return loadJwtProviders(file);
  } catch (err) {
    throw new OptionError("jwt-providers", (err as Error).message.replace(/^--jwt-providers:\s*/, ""));
  }
}

function checkedConfig(opts: ParsedOptions): Config {
  const get = (k: keyof typeof OPTIONS) => opts.get(k);
  const db = checkedDb(get("db") ?? DEFAULT_DB);
  const tlsCert = get("tls-cert") ?? null;
  const tlsKey = get("tls-key") ?? null;
  if ((tlsCert === null) !== (tlsKey === null)) throw new OptionError(tlsCert ? "tls-cert" : "tls-key", "is set without the other of --tls-cert and --tls-key; set both or neither");
  const logLevel = (get("log-level") ?? "info") as LogLevel;
  if (!LEVELS.includes(logLevel)) throw new OptionError("log-level", `must be one of ${LEVELS.join(", ")}, not "${logLevel}"`);
  return {
    host: get("host") ?? "127.0.0.1",
    port: int("port", get("port") ?? "8080", 0, 65535),
    db,
    dbConnection: dbConnectionFrom(opts),
    tlsCert,
    tlsKey,
    corsOrigins: (get("cors-origins") ?? "").split(",").map((s) => s.trim()).filter((s) => s !== ""),
    readMaxBytes: int("read-max-bytes", get("read-max-bytes") ?? String(4 * 1024 * 1024), 1024, 1024 * 1024 * 1024),
    tokenFile: get("token-file") ?? defaultTokenFile(db),
    logLevel,
    shutdownGraceMs: int("shutdown-grace-ms", get("shutdown-grace-ms") ?? "10000", 0, 600_000),
    headersTimeoutMs: int("headers-timeout-ms", get("headers-timeout-ms") ?? "10000", 100, 600_000),
    bodyTimeoutMs: int("body-timeout-ms", get("body-timeout-ms") ?? "30000", 0, 3_600_000),
    requestTimeoutMs: int("request-timeout-ms", get("request-timeout-ms") ?? "300000", 0, 86_400_000),
    idleTimeoutMs: int("idle-timeout-ms", get("idle-timeout-ms") ?? "60000", 100, 3_600_000),
    fastPath: onOff("fast-path", get("fast-path") ?? "on"),
    jwtProviders: jwtProviders(get("jwt-providers")),
    authFailBudget: int("auth-fail-budget", get("auth-fail-budget") ?? "20", 0, 1_000_000),
    authFailWindowMs: int("auth-fail-window-ms", get("auth-fail-window-ms") ?? "60000", 1000, 86_400_000),
    metrics: metricsPlacement(get("metrics") ?? "on"),
  };
}
