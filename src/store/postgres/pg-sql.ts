// What every PostgreSQL repository shares: something to send a statement to
// (the pool for reads, a transaction's client for writes), and row helpers.
import type { QueryResultRow } from "pg";

/** A pool or one connection: both answer query(text, values). */
export interface Queryable {
  query<R extends QueryResultRow = Row>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
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
