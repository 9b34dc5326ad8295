// A log line is one line, whatever text reaches it: the logger escapes what
// JSON.stringify leaves raw and some readers still take for a line break
// (NEL, U+2028, U+2029), and every value reads back as it was given. The
// server's real output is checked the same way by injection.test.ts and
// wire-fuzz.test.ts.
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { INJECTION_STRINGS, LINE_BREAKS, LONE_SURROGATES } from "./injection-strings.ts";
import { badLogLines } from "./injection-world.ts";

describe("the logger", () => {
  it("writes one line per entry for every injection string, and each value reads back literally", () => {
    const values = [...INJECTION_STRINGS, ...LONE_SURROGATES, "\u0085", "a\u2028b", "\u2029{\"level\":\"error\",\"msg\":\"forged\"}"];
    const lines: string[] = [];
    const log = createLogger("debug", (line) => lines.push(line));
    for (const v of values) log.error("internal error", { cause: v, requestId: v });
    expect(lines).toHaveLength(values.length);
    expect(lines.filter((l) => LINE_BREAKS.test(l))).toEqual([]);
    expect(badLogLines(lines)).toEqual([]);
    expect(lines.map((l) => (JSON.parse(l) as { cause: string }).cause)).toEqual(values);
  });
});
