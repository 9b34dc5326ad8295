// ZITADEL's v2beta text and time filters, sorting and paging, over rows the
// domain has already narrowed by what it indexes (organization, project,
// principal, role). The rest of a filter is evaluated here, row by row.
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { TimestampFilterMethod, type PaginationRequest, type TextFilterMethod } from "../../../gen/zitadel/filter/v2beta/filter_pb.js";
import { DomainError, invalidArgument } from "../../kernel/errors.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../kernel/paging.ts";
import { textMatches } from "../../kernel/text-match.ts";
import { msOf } from "../../rpc/common-mappers.ts";
import { TEXT_METHODS } from "./text-methods.ts";

export type Predicate<T> = (row: T) => boolean;

/** A text condition on one field; `field` names the filter for errors. */
export function textFilter(field: string, value: string, method: TextFilterMethod): Predicate<string> {
  const m = TEXT_METHODS[method];
  if (!m) throw invalidArgument(`${field}.method`, "is not a known text filter method");
  if (value.length > 200) throw invalidArgument(field, "must be at most 200 characters");
  const q = { ...m, value };
  return (s) => textMatches(s, q);
}

const TIME: Record<number, (ms: number, at: number) => boolean> = {
  [TimestampFilterMethod.EQUALS]: (ms, at) => ms === at,
  [TimestampFilterMethod.GREATER]: (ms, at) => ms > at,
  [TimestampFilterMethod.GREATER_OR_EQUALS]: (ms, at) => ms >= at,
  [TimestampFilterMethod.LESS]: (ms, at) => ms < at,
  [TimestampFilterMethod.LESS_OR_EQUALS]: (ms, at) => ms <= at,
};

/** A time condition: the row's time (ms) compared with the filter's timestamp. */
export function timeFilter(field: string, f: { timestamp?: Timestamp; method: TimestampFilterMethod }): Predicate<number> {
  const at = msOf(f.timestamp);
  if (at === null) throw invalidArgument(`${field}.timestamp`, "is required");
  if (Number.isNaN(at)) throw invalidArgument(`${field}.timestamp`, "is out of range");
  const compare = TIME[f.method];
  if (!compare) throw invalidArgument(`${field}.method`, "is not a known timestamp filter method");
  return (ms) => compare(ms, at);
}

export const every =
  <T>(ps: Predicate<T>[]): Predicate<T> =>
  (r) =>
    ps.every((p) => p(r));

/** Orders by each key in turn. */
export function byKeys<T>(...keys: ((r: T) => string | number)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

/**
 * One page by offset, sorted. As in ZITADEL, `asc` false (the default)
 * sorts descending, and a limit of 0 is the server's default.
 */
export function paginate<T>(rows: T[], p: PaginationRequest | undefined, compare: (a: T, b: T) => number) {
  const limit = p?.limit ?? 0;
  if (limit > MAX_PAGE_SIZE) throw invalidArgument("pagination.limit", `must be at most ${MAX_PAGE_SIZE}`);
  const offset = p?.offset ?? 0n;
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidArgument("pagination.offset", "is out of range");
  const applied = limit === 0 ? DEFAULT_PAGE_SIZE : limit;
  const sorted = [...rows].sort(p?.asc ? compare : (a, b) => compare(b, a));
  return {
    page: sorted.slice(Number(offset), Number(offset) + applied),
    pagination: { totalResult: BigInt(rows.length), appliedLimit: BigInt(applied) },
  };
}

/** Lists answer empty, rather than failing, for a resource the caller cannot see. */
export async function unlessHidden<T>(scoping: Promise<T>): Promise<T | null> {
  try {
    return await scoping;
  } catch (err) {
    if (err instanceof DomainError && (err.kind === "not_found" || err.kind === "permission_denied")) return null;
    throw err;
  }
}
