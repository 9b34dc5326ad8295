// README's table of error reasons is generated from the sources and the
// error mappers: a new reason, or a changed code, cannot ship with README
// saying something else.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { END, errorReasons, errorTable, START } from "../../scripts/error-table.ts";

describe("README's error table", () => {
  it("is the one the sources generate (node scripts/error-table.ts --write)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme.slice(readme.indexOf(START), readme.indexOf(END) + END.length)).toBe(errorTable());
  });

  it("finds reasons however they are thrown", () => {
    expect(Object.fromEntries(errorReasons())).toMatchObject({
      "membership.already_exists": "already_exists", // alreadyExists( on a line of its own
      "role.unknown": "invalid_argument", // invalidArgument's third argument
      "request.invalid_field": "invalid_argument", // invalidArgument's default
      "store.not_writable": "unavailable", // new DomainError(kind, reason, …)
      "auth.unauthenticated": "unauthenticated", // the unauthenticated helper
      "auth.too_many_failures": "resource_exhausted",
    });
  });

  it("names ZITADEL's own codes where its member writes differ", () => {
    const rows = errorTable().split("\n").filter((r) => r.includes("ZITADEL's member writes"));
    expect(rows.map((r) => r.split("|")[1]!.trim())).toEqual(["`project.not_found`", "`user.not_found`"]);
  });
});
