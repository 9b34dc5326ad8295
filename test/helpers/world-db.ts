// Direct access to a test world's database, on whichever store it runs
// (SQLite file or PostgreSQL schema): for what no call can read or set, such
// as a deleted organization's audit trail or a second instance administrator.
// Statements use `?` placeholders and SQL both stores accept; numbers come
// back as numbers (PostgreSQL's bigint counts included).
import Database from "better-sqlite3";
import pg from "pg";

export interface WorldDb {
  /** Every row's first column. */
  column(sql: string, ...values: unknown[]): Promise<unknown[]>;
  run(sql: string, ...values: unknown[]): Promise<void>;
  close(): Promise<void>;
}

const plain = (v: unknown) => (typeof v === "bigint" ? v.toString() : v);
const numeric = (v: unknown) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v);

/** Opens the database at `dbPath` (a file, or a postgres:// URL). */
export async function openWorldDb(dbPath: string): Promise<WorldDb> {
  if (!/^postgres(ql)?:\/\//.test(dbPath)) {
    const db = new Database(dbPath);
    return {
      column: async (sql, ...values) => db.prepare(sql).pluck().all(...values.map(plain)),
      run: async (sql, ...values) => void db.prepare(sql).run(...values.map(plain)),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: dbPath });
  await client.connect();
  let n = 0;
  const numbered = (sql: string) => ((n = 0), sql.replace(/\?/g, () => `$${++n}`));
  return {
    column: async (sql, ...values) => (await client.query({ text: numbered(sql), values: values.map(plain), rowMode: "array" })).rows.map((r: unknown[]) => numeric(r[0])),
    run: async (sql, ...values) => void (await client.query(numbered(sql), values.map(plain))),
    close: () => client.end(),
  };
}
