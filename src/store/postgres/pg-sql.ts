// What every PostgreSQL repository shares: something to send a statement to
// (the pool for reads, a transaction's client for writes), and row helpers.
import type { QueryResultRow } from "pg";

/** A pool or one connection: both answer query(text, values). */
export interface Queryable {
  query<R extends QueryResultRow = Row>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * How a repository reads. Inside a write transaction (READ COMMITTED, see
 * pg-transaction.ts) the rows a write reads before changing them are locked
 * until it commits, so two writes to one membership, role or organization
 * member run one after the other, each on the other's result, as SQLite's
 * single writer has them; outside one, reads take no locks.
 */
export interface ReadMode {
  lockForWrite: boolean;
}

/** A row as node-postgres returns it. */
export type Row = Record<string, any>;

/** The first row of a statement, or null. */
export async function oneRow(q: Queryable, text: string, values: unknown[]): Promise<Row | null> {
  const { rows } = await q.query(text, values);
  return rows[0] ?? null;
}

/** Every row of a statement. */
export async function allRows(q: Queryable, text: string, values: unknown[]): Promise<Row[]> {
  return (await q.query(text, values)).rows;
}

export { likePrefix } from "../sql-like.ts";
