// The google.api.http path templates: parsing, matching with percent-decoding,
// and which of two matching templates wins.
import { describe, expect, it } from "vitest";
import { compareSpecificity, matchTemplate, parseTemplate, TemplateError } from "../../src/edge/rest/path-template.ts";

const match = (template: string, path: string) => {
  const m = matchTemplate(parseTemplate(template), path);
  return m && Object.fromEntries(m);
};

describe("parseTemplate", () => {
  it("reads literals, variables, nested field paths and a verb", () => {
    const t = parseTemplate("/v1/{project.id}/members/{user_id}:accept");
    expect(t.segments.map((s) => s.kind)).toEqual(["literal", "one", "literal", "one"]);
    expect(t.variables.map((v) => [v.fieldPath.join("."), v.from, v.to])).toEqual([
      ["project.id", 1, 2],
      ["user_id", 3, 4],
    ]);
    expect(t.verb).toBe("accept");
  });

  it("reads a variable that spans segments, and a trailing **", () => {
    const t = parseTemplate("/v1/{name=projects/*/roles/*}/{rest=**}");
    expect(t.segments.map((s) => s.kind)).toEqual(["literal", "literal", "one", "literal", "one", "rest"]);
    expect(t.variables.map((v) => [v.from, v.to])).toEqual([
      [1, 5],
      [5, 6],
    ]);
    expect(t.verb).toBeUndefined();
  });

  it.each([
    ["v1/projects", "no leading slash"],
    ["/v1//projects", "empty segment"],
    ["/v1/{a", "unbalanced brace"],
    ["/v1/{a}}", "unbalanced brace"],
    ["/v1/{a{b}}", "nested brace"],
    ["/v1/{1a}", "field name starting with a digit"],
    ["/v1/**/x", "** before the end"],
    ["/v1/x:", "empty verb"],
    ["/v1/a{b}", "brace inside a literal"],
  ])("refuses %s (%s)", (template) => {
    expect(() => parseTemplate(template)).toThrow(TemplateError);
  });
});

describe("matchTemplate", () => {
  it("captures single-segment variables, percent-decoded", () => {
    expect(match("/v1/projects/{project_id}/members/{user_id}", "/v1/projects/p%201/members/u%2F2")).toEqual({
      project_id: "p 1",
      user_id: "u/2",
    });
  });

  it("keeps %2F encoded inside a multi-segment variable, so separators stay tellable", () => {
    expect(match("/v1/{name=projects/*}", "/v1/projects/a%2Fb")).toEqual({ name: "projects/a%2Fb" });
    expect(match("/v1/{name=projects/*}", "/v1/projects/a%20b")).toEqual({ name: "projects/a b" });
  });

  it("captures the rest of the path with **", () => {
    expect(match("/files/{path=**}", "/files/a/b/c")).toEqual({ path: "a/b/c" });
    expect(match("/files/**", "/files")).toEqual({});
  });

  it("matches a verb only when the path ends in it", () => {
    expect(match("/v1/tokens/{token_id}:revoke", "/v1/tokens/7:revoke")).toEqual({ token_id: "7" });
    expect(match("/v1/tokens/{token_id}:revoke", "/v1/tokens/7")).toBeNull();
    expect(match("/v1/audit-events:verify", "/v1/audit-events:verify")).toEqual({});
  });

  it.each([
    ["/v1/projects/{id}", "/v1/projects", "too few segments"],
    ["/v1/projects/{id}", "/v1/projects/1/x", "too many segments"],
    ["/v1/projects/{id}", "/v1/project/1", "another literal"],
    ["/v1/projects/{id}", "/v1/projects/", "an empty variable"],
    ["/v1/projects/{id}", "/v1/projects/%E0%A4%A", "a malformed escape"],
    ["/v1/projects/{id}", "v1/projects/1", "no leading slash"],
    ["/files/{path=**}", "/files", "an empty ** variable"],
  ])("does not match %s against %s (%s)", (template, path) => {
    expect(match(template, path)).toBeNull();
  });
});

describe("compareSpecificity", () => {
  it("puts a literal before a variable at the first segment where they differ", () => {
    const literal = parseTemplate("/projects/members/roles/_search");
    const variable = parseTemplate("/projects/{project_id}/members/_search");
    expect(compareSpecificity(literal, variable)).toBeLessThan(0);
    expect(compareSpecificity(variable, literal)).toBeGreaterThan(0);
  });

  it("puts a template with a verb before the same one without", () => {
    expect(compareSpecificity(parseTemplate("/v1/{id}:run"), parseTemplate("/v1/{id}"))).toBeLessThan(0);
  });
});
