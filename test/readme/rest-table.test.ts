// README's table of REST paths is generated from the annotations the server
// serves: a new path, or a changed one, cannot ship with README saying
// something else.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REST_END, REST_START, restTable } from "../../scripts/rest-table.ts";
import { allRoutes } from "../../scripts/rpc-table.ts";

describe("README's REST table", () => {
  it("is the one the annotations generate (node scripts/rest-table.ts --write)", () => {
    const readme = readFileSync("README.md", "utf8");
    const shown = readme.slice(readme.indexOf(REST_START), readme.indexOf(REST_END) + REST_END.length);
    expect(shown).toBe(restTable(allRoutes()));
  });

  it("lists every HTTP method and path once", () => {
    const rows = restTable(allRoutes()).split("\n").filter((l) => l.startsWith("| `"));
    expect(rows.length).toBeGreaterThan(40);
    expect(new Set(rows.map((r) => r.split("|")[1])).size).toBe(rows.length);
  });
});
