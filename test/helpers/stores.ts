// The store matrix: each store the server can run on, opened empty for one
// test. PostgreSQL is left out (its tests skip) only when the run has no test
// PostgreSQL, which CI does not allow (postgres-global.ts).
import type { Store } from "../../src/kernel/store.ts";
import { openPostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { freshPgDatabase, testPgUrl } from "./postgres.ts";

export interface StoreKind {
  name: "sqlite" | "postgres";
  /** An empty, migrated store, and how to close it. */
  open(): Promise<{ store: Store; close(): Promise<void> }>;
}

export const SQLITE: StoreKind = {
  name: "sqlite",
  async open() {
    const store = openSqliteStore(":memory:");
    return { store, close: async () => store.close() };
  },
};

export const POSTGRES: StoreKind = {
  name: "postgres",
  async open() {
    const store = await openPostgresStore(await freshPgDatabase(), { poolSize: 4 });
    return { store, close: () => store.end() };
  },
};

/** Every store this run can test: SQLite always, PostgreSQL when the run has one. */
export const STORES: StoreKind[] = testPgUrl ? [SQLITE, POSTGRES] : [SQLITE];
