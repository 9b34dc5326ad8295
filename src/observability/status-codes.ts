// gRPC status codes by their canonical names, the form logs and metrics use
// whichever protocol carried the call; Connect writes the same names in
// lower case ("not_found").
const NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

export type StatusName = (typeof NAMES)[number];

/** 5 → "NOT_FOUND"; a number outside the table (a peer's invention) → "UNKNOWN". */
export const statusName = (code: number): StatusName => NAMES[code] ?? "UNKNOWN";

// Connect spells CANCELLED with one L.
const byConnectName = new Map<string, number>([...NAMES.map((name, code) => [name.toLowerCase(), code] as const), ["canceled", 1]]);

/** "not_found" → 5; anything else → 2 (UNKNOWN). */
export const codeFromConnectName = (name: unknown): number => (typeof name === "string" ? byConnectName.get(name) : undefined) ?? 2;
