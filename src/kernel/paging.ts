// Keyset paging. A page token is the key of the last row served, wrapped so
// clients treat it as opaque; the next page asks for keys greater than it, so
// no row is skipped or repeated while others insert.
import { invalidArgument } from "./errors.ts";
import type { PageQuery } from "./store.ts";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export function pageQuery(pageSize: number, pageToken: string): PageQuery {
  if (!Number.isInteger(pageSize) || pageSize < 0) throw invalidArgument("page_size", "must not be negative");
  if (pageSize > MAX_PAGE_SIZE) throw invalidArgument("page_size", `must be at most ${MAX_PAGE_SIZE}`);
  return { after: pageToken === "" ? null : decodeToken(pageToken), limit: pageSize === 0 ? DEFAULT_PAGE_SIZE : pageSize };
}

function decodeToken(token: string): string {
  if (token.length > 400 || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalidArgument("page_token", "is not a valid page token");
  const raw = Buffer.from(token, "base64url").toString("utf8");
  if (!raw.startsWith("k:")) throw invalidArgument("page_token", "is not a valid page token");
  return raw.slice(2);
}

export function encodePageToken(key: string): string {
  return Buffer.from("k:" + key, "utf8").toString("base64url");
}

/**
 * Runs a list with one row more than asked, so the last page has no token.
 * `key` gives the keyset key of a row.
 */
export async function page<T>(
  q: PageQuery,
  fetch: (q: PageQuery) => T[] | Promise<T[]>,
  key: (row: T) => string,
): Promise<{ items: T[]; nextPageToken: string }> {
  const rows = await fetch({ after: q.after, limit: q.limit + 1 });
  if (rows.length <= q.limit) return { items: rows, nextPageToken: "" };
  const items = rows.slice(0, q.limit);
  return { items, nextPageToken: encodePageToken(key(items[items.length - 1]!)) };
}
