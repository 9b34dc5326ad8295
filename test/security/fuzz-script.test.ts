// scripts/fuzz-wire.ts keeps working: a tiny budget over every protocol
// prints a line for each and exits 0; bad arguments exit 2.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { WIRE_PROTOCOLS } from "./wire-protocols.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const run = (args: string[]) =>
  promisify(execFile)(process.execPath, ["scripts/fuzz-wire.ts", ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe("scripts/fuzz-wire.ts", () => {
  it("runs two cases per protocol against one server and reports them", async () => {
    const { code, stdout } = await run(["--runs", "2", "--seed", "7", "--fast-path", "off"]);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/^seed 7, 2 cases per protocol and server$/m);
    for (const p of WIRE_PROTOCOLS) expect(stdout).toMatch(new RegExp(`^${p.name}\\s+fast path off: 2 cases, 0 failed`, "m"));
    expect(stdout).not.toMatch(/fast path on/);
    expect(stdout).toMatch(new RegExp(`^${WIRE_PROTOCOLS.length * 2} cases, 0 failed$`, "m"));
  }, 60_000);

  it("refuses a budget that is not a positive number", async () => {
    const { code, stderr } = await run(["--runs", "zero"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^usage: node scripts\/fuzz-wire.ts/);
  });
});
