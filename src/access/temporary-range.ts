// Temporary access: a relative range such as "3h" from a start time. The end
// time is computed once, when the role is written, and stored.
import { invalidArgument } from "../kernel/errors.ts";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Ranges beyond this are refused: they would be permanent roles in disguise and overflow timestamps. */
export const MAX_RANGE_MS = 100 * 365 * UNIT_MS.d;

const RANGE = /^([0-9]{1,12})([smhd])$/;

/** Parses a range like "7d" into milliseconds; undefined when it does not parse or is not positive. */
export function parseRange(text: string): number | undefined {
  const m = RANGE.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms > 0 && ms <= MAX_RANGE_MS ? ms : undefined;
}

export function requireRange(field: string, text: string): number {
  if (text === "") throw invalidArgument(field, "is required for a temporary role");
  const ms = parseRange(text);
  if (ms === undefined) {
    throw invalidArgument(field, `"${text.slice(0, 40)}" is not a positive range like 30s, 15m, 3h or 7d (at most 100 years)`);
  }
  return ms;
}

/** A role grants only within [start, end). */
export function isWithinWindow(now: number, startAt: number | null, endAt: number | null): boolean {
  return (startAt === null || now >= startAt) && (endAt === null || now < endAt);
}
