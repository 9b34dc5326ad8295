// Small helpers every SQLite repository shares.

/** A row as better-sqlite3 returns it. */
export type Row = Record<string, any>;

export { likePrefix } from "../sql-like.ts";
