// One text condition of a search, the same wherever it is evaluated (in a
// SQL function of a repository, or over rows already read).
import type { TextMatch } from "./store.ts";

export interface TextCondition {
  match: TextMatch;
  ignoreCase: boolean;
  value: string;
}

/** Equals, starts with, contains or ends with, optionally ignoring case. */
export function textMatches(value: string, q: TextCondition): boolean {
  const v = q.ignoreCase ? value.toLowerCase() : value;
  const needle = q.ignoreCase ? q.value.toLowerCase() : q.value;
  switch (q.match) {
    case "equals":
      return v === needle;
    case "starts_with":
      return v.startsWith(needle);
    case "contains":
      return v.includes(needle);
    case "ends_with":
      return v.endsWith(needle);
  }
}
