// The store --db names: a SQLite file (or :memory:), the zero-set-up default,
// or a PostgreSQL database by its postgres:// URL. The PostgreSQL driver is
// loaded only when a URL asks for it.
import type { Store } from "../kernel/store.ts";
import type { Logger } from "../logger.ts";
import { DEFAULT_DB_CONNECTION, isPostgresUrl, type DbConnection } from "./db-connection.ts";
import type { TransactionObserver } from "./sqlite/group-commit.ts";
import { openSqliteStore } from "./sqlite/sqlite-store.ts";

export interface OpenedStore extends Store {
  readonly kind: "sqlite" | "postgres";
  /** Closes the store and resolves once it is closed (a pool has returned its connections). */
  end(): Promise<void>;
}

export interface OpenStoreOptions {
  connection?: DbConnection;
  log?: Logger;
  /** Another process committed to the same database (SQLite: PRAGMA data_version; PostgreSQL: the audit counter, and a NOTIFY or a reconnect, see onReachable). */
  onExternalCommit?: () => void;
  /** PostgreSQL stopped answering (false) or answers again (true); asked for, it also watches for other processes' commits. */
  onReachable?: (reachable: boolean) => void;
  onTransaction?: TransactionObserver;
}

export async function openStore(db: string, opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  if (isPostgresUrl(db)) {
    const { openPostgresStore } = await import("./postgres/postgres-store.ts");
    const store = await openPostgresStore(db, { ...(opts.connection ?? DEFAULT_DB_CONNECTION), log: opts.log, onTransaction: opts.onTransaction, onExternalCommit: opts.onReachable ? undefined : opts.onExternalCommit });
    if (!opts.onReachable) return Object.assign(store, { kind: "postgres" as const });
    // A server: LISTEN for other processes' commits, in place of the audit counter's poll, and follow whether the database answers (postgres/pg-watch.ts).
    const { watchPostgres } = await import("./postgres/pg-watch.ts");
    const watch = await watchPostgres(store.pool, { onChange: opts.onExternalCommit ?? (() => {}), onReachable: opts.onReachable, log: opts.log });
    const endPool = store.end;
    const end = async () => {
      await watch.stop();
      await endPool();
    };
    return Object.assign(store, { kind: "postgres" as const, end, close: () => void end().catch(() => {}) });
  }
  const store = openSqliteStore(db, { onExternalCommit: opts.onExternalCommit, log: opts.log, onTransaction: opts.onTransaction });
  return Object.assign(store, { kind: "sqlite" as const, end: async () => store.close() });
}
