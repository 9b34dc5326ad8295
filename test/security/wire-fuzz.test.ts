// Fuzzing over the wire, a bounded budget: fast-check builds calls for every
// protocol of the matrix (see wire-cases.ts) and each is sent raw to a real
// server process, one with the fast path on and one with it off, side by
// side. wire-fuzz.ts lists what must hold after every call. A fixed seed
// keeps the run the same from one `npm test` to the next; FUZZ_SEED and
// FUZZ_RUNS change it, and scripts/fuzz-wire.ts runs a larger budget.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFuzzTarget, type FuzzTarget } from "./fuzz-target.ts";
import { badLogLines } from "./injection-world.ts";
import { fuzzProtocol, type ProtocolReport } from "./wire-fuzz.ts";
import { WIRE_PROTOCOLS } from "./wire-protocols.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 8);

describe("wire fuzzing", () => {
  let targets: FuzzTarget[] = [];
  const reports: ProtocolReport[] = [];
  beforeAll(async () => {
    targets = await Promise.all([startFuzzTarget(true), startFuzzTarget(false)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(targets.map((t) => t.close()));
  });

  it.each(WIRE_PROTOCOLS)(`$name: ${RUNS} cases with the fast path on and ${RUNS} with it off`, async (p) => {
    const done = await Promise.all(targets.map((t) => fuzzProtocol(t, p, RUNS, SEED)));
    reports.push(...done);
    for (const r of done) {
      expect(r.failures, `seed ${SEED}, fast path ${r.fastPath ? "on" : "off"}`).toEqual([]);
      expect(r.cases).toBe(RUNS);
    }
  }, 180_000);

  it("reached the handlers: some calls succeeded, some were refused by the domain, some by the protocol", () => {
    const total = (code: string) => reports.reduce((n, r) => n + (r.outcomes[code] ?? 0), 0);
    expect(reports).toHaveLength(WIRE_PROTOCOLS.length * 2);
    expect(total("ok")).toBeGreaterThan(0);
    expect(total("not_found") + total("permission_denied") + total("failed_precondition")).toBeGreaterThan(0);
    expect(total("invalid_argument")).toBeGreaterThan(0);
  });

  it("left both processes running, each log line one JSON object, and each stops cleanly on SIGTERM", async () => {
    for (const t of targets) expect(t.exitCode()).toBeUndefined();
    const codes = await Promise.all(targets.map((t) => t.close()));
    expect(codes).toEqual([0, 0]);
    for (const t of targets) {
      // The log was read all along: its last entry, written on the way out, is there too.
      expect(t.output().some((l) => l.includes('"msg":"stopped"'))).toBe(true);
      expect(badLogLines([...t.output()])).toEqual([]);
    }
  }, 30_000);
});
