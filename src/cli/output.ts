// What the data commands print: one JSON document with --json, for scripts,
// else a table (lists) or label/value lines (one record) for people.
import { table, type Io } from "./command.ts";
import type { ParsedOptions } from "./options.ts";

export type Row = Record<string, unknown>;
/** Which fields a table shows, and under which heading. */
export type Columns = [field: string, heading: string][];

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const text = (v: unknown): string => (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0) ? "-" : Array.isArray(v) ? v.join(",") : String(v));

export function printList(io: Io, opts: ParsedOptions, rows: Row[], columns: Columns): void {
  if (opts.has("json")) {
    io.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return;
  }
  io.stdout.write(table([columns.map(([, heading]) => heading), ...rows.map((r) => columns.map(([field]) => text(r[field])))]));
}

export function printRecord(io: Io, opts: ParsedOptions, row: Row, columns: Columns): void {
  if (opts.has("json")) {
    io.stdout.write(JSON.stringify(row, null, 2) + "\n");
    return;
  }
  io.stdout.write(table(columns.map(([field, heading]) => [heading, text(row[field])])));
}

/** Every item of a paged list: the CLI prints whole lists, so scripts never page. */
export async function everyPage<T>(list: (pageToken: string) => Promise<{ items: T[]; nextPageToken: string }>): Promise<T[]> {
  const all: T[] = [];
  let token = "";
  do {
    const page = await list(token);
    all.push(...page.items);
    token = page.nextPageToken;
  } while (token !== "");
  return all;
}
