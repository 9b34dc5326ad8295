// LIKE patterns, the same for both stores: both escape with a backslash
// (SQLite through ESCAPE '\', PostgreSQL by default).

/** Escapes LIKE wildcards so a prefix is matched literally. */
export const likePrefix = (s: string) => s.replace(/[\\%_]/g, (c) => "\\" + c) + "%";
