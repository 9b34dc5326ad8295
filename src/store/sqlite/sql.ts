// Small helpers every SQLite repository shares.

/** A row as better-sqlite3 returns it. */
export type Row = Record<string, any>;

/** Escapes LIKE wildcards so a prefix is matched literally. */
export const likePrefix = (s: string) => s.replace(/[\\%_]/g, (c) => "\\" + c) + "%";
