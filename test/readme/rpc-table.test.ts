// README's table of RPCs is generated from the route table: a new RPC, or a
// changed permission, cannot ship with README saying something else.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allRoutes, END, rpcTable, START } from "../../scripts/rpc-table.ts";

describe("README's RPC table", () => {
  it("is the one the route table generates (node scripts/rpc-table.ts --write)", () => {
    const readme = readFileSync("README.md", "utf8");
    const shown = readme.slice(readme.indexOf(START), readme.indexOf(END) + END.length);
    expect(shown).toBe(rpcTable(allRoutes()));
  });

  it("lists every RPC once, each with what it needs", () => {
    const rows = rpcTable(allRoutes()).split("\n").filter((l) => l.startsWith("| `"));
    expect(new Set(rows.map((r) => r.split("|")[1])).size).toBe(rows.length);
    expect(rows.length).toBe(allRoutes().length);
    expect(rows.filter((r) => r.split("|")[3]!.trim() === "")).toEqual([]);
  });
});
