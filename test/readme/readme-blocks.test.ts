// Every example in README is run by a test: each code block with a language
// but the two commands at the top (scripts/fresh-clone-check.sh and CI run
// those) has a name, and a test in this folder names it, or runs a block that uses it (a
// file README says to save). README's links to its own sections lead to one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { README, readmeBlocks, ROOT } from "../helpers/readme.ts";

const blocks = readmeBlocks();
// A block without a language is a figure (the layout), not an example.
const named = blocks.slice(2).filter((b) => b.lang !== "");

describe("README's code blocks", () => {
  it("are named, but for the two commands at the top, and each name once", () => {
    expect(blocks.slice(0, 2).map((b) => b.name)).toEqual(["", ""]);
    expect(named.filter((b) => b.name === "").map((b) => b.code)).toEqual([]);
    expect(new Set(named.map((b) => b.name)).size).toBe(named.length);
  });

  it("are each run or read by a test under test/readme/", () => {
    const dir = join(ROOT, "test", "readme");
    const tests = readdirSync(dir).filter((f) => f.endsWith(".test.ts")).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
    const claimed = new Set(named.filter((b) => new RegExp(`"!?${b.name.replace(/\./g, "\\.")}"`).test(tests)).map((b) => b.name));
    // A file is run by the block that runs it: `node list-projects.mjs`.
    for (const b of named) if (b.name.includes(".") && named.some((r) => claimed.has(r.name) && r.code.includes(b.name))) claimed.add(b.name);
    expect(named.map((b) => b.name).filter((n) => !claimed.has(n))).toEqual([]);
  });
});

describe("README's links to its own sections", () => {
  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
  const anchor = (heading: string) => heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");

  it("each lead to a heading", () => {
    const withoutCode = README.replace(/^```[\s\S]*?^```$/gm, "");
    const anchors = new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));
    const links = [...README.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });
});
