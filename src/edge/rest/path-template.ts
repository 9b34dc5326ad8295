// The path templates of google.api.http (google/api/http.proto, "Path
// template syntax"): literals, `*`, a trailing `**`, variables `{a.b}` and
// `{a.b=segments/*}`, and an optional `:verb`. A template is parsed once at
// startup; matching a request path is a walk over its segments.

type Segment = { kind: "literal"; text: string } | { kind: "one" } | { kind: "rest" };

interface Variable {
  /** The request field the variable sets, as written in the template (proto names). */
  fieldPath: string[];
  /** The template segments it captures: [from, to). */
  from: number;
  to: number;
}

export interface PathTemplate {
  readonly source: string;
  readonly segments: readonly Segment[];
  readonly variables: readonly Variable[];
  readonly verb: string | undefined;
}

/** A template that does not follow the grammar: a mistake in a .proto, reported at startup. */
export class TemplateError extends Error {}

function parseSegment(text: string, source: string): Segment {
  if (text === "*") return { kind: "one" };
  if (text === "**") return { kind: "rest" };
  if (text === "" || /[{}=*]/.test(text)) throw new TemplateError(`bad segment "${text}" in ${source}`);
  return { kind: "literal", text };
}

/** "a/{b=c/*}/d" → ["a", "{b=c/*}", "d"]: a variable may hold several segments. */
function splitOutsideBraces(body: string, source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of body) {
    if (ch === "{") depth++;
    if (ch === "}") depth--;
    if (depth < 0 || depth > 1) throw new TemplateError(`unbalanced braces in ${source}`);
    if (ch === "/" && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  if (depth !== 0) throw new TemplateError(`unbalanced braces in ${source}`);
  return [...parts, current];
}

export function parseTemplate(source: string): PathTemplate {
  if (!source.startsWith("/")) throw new TemplateError(`template ${source} does not start with /`);
  let body = source.slice(1);
  // The verb follows the last "/" and any closing brace: "{name}:cancel", "events:verify".
  const tail = Math.max(body.lastIndexOf("/"), body.lastIndexOf("}"));
  const colon = body.indexOf(":", tail + 1);
  const verb = colon < 0 ? undefined : body.slice(colon + 1);
  if (verb === "") throw new TemplateError(`empty verb in ${source}`);
  if (colon >= 0) body = body.slice(0, colon);
  const segments: Segment[] = [];
  const variables: Variable[] = [];
  for (const part of splitOutsideBraces(body, source)) {
    if (!part.startsWith("{") || !part.endsWith("}")) {
      segments.push(parseSegment(part, source));
      continue;
    }
    const [field, pattern = "*"] = part.slice(1, -1).split("=", 2) as [string, string?];
    if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(field)) throw new TemplateError(`bad variable "${part}" in ${source}`);
    const from = segments.length;
    for (const s of pattern.split("/")) segments.push(parseSegment(s, source));
    variables.push({ fieldPath: field.split("."), from, to: segments.length });
  }
  if (segments.slice(0, -1).some((s) => s.kind === "rest")) throw new TemplateError(`"**" must come last in ${source}`);
  return { source, segments, variables, verb };
}

/**
 * Percent-decodes one segment. Segments of a multi-segment variable keep
 * "%2F" encoded, as the spec asks, so a decoded "/" stays tellable from a
 * separator. Returns null for a malformed escape.
 */
function decode(raw: string, keepSlash: boolean): string | null {
  try {
    return decodeURIComponent(keepSlash ? raw.replace(/%2f/gi, "%252F") : raw);
  } catch {
    return null;
  }
}

/**
 * Matches a request path (without its query) against a template and returns
 * each variable's value by its dotted field path, or null when it does not
 * match. Variables never capture an empty segment.
 */
export function matchTemplate(t: PathTemplate, path: string): Map<string, string> | null {
  if (!path.startsWith("/")) return null;
  let rest = path.slice(1);
  if (t.verb !== undefined) {
    if (!rest.endsWith(`:${t.verb}`)) return null;
    rest = rest.slice(0, -(t.verb.length + 1));
  }
  const raw = rest.split("/");
  const last = t.segments[t.segments.length - 1]!;
  const open = last.kind === "rest";
  if (open ? raw.length < t.segments.length - 1 : raw.length !== t.segments.length) return null;
  // Which template segment each request segment falls under (a trailing ** takes the rest).
  const at = (i: number) => Math.min(i, t.segments.length - 1);
  const multi = new Set<number>();
  for (const v of t.variables) if (v.to - v.from > 1 || t.segments[v.from]!.kind === "rest") for (let i = v.from; i < v.to; i++) multi.add(i);
  const decoded: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const seg = t.segments[at(i)]!;
    const d = decode(raw[i]!, multi.has(at(i)));
    if (d === null || (seg.kind === "literal" && d !== seg.text) || (seg.kind === "one" && d === "")) return null;
    decoded.push(d);
  }
  const values = new Map<string, string>();
  for (const v of t.variables) {
    const to = v.to === t.segments.length && open ? raw.length : v.to;
    const value = decoded.slice(v.from, to).join("/");
    if (value === "") return null;
    values.set(v.fieldPath.join("."), value);
  }
  return values;
}

/**
 * Orders templates that match the same path, most specific first: a literal
 * beats a variable at the first segment where they differ, and a template
 * with a verb beats one without.
 */
export function compareSpecificity(a: PathTemplate, b: PathTemplate): number {
  const rank = (s: Segment | undefined) => (s === undefined ? 3 : s.kind === "literal" ? 0 : s.kind === "one" ? 1 : 2);
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const d = rank(a.segments[i]) - rank(b.segments[i]);
    if (d !== 0) return d;
  }
  return (a.verb === undefined ? 1 : 0) - (b.verb === undefined ? 1 : 0);
}
