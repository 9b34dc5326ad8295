// The REST face of the route table: every unary route whose RPC carries a
// google.api.http annotation, under the route's REST base path. A request
// either matches one binding, or matches paths whose methods differ (405
// with the methods that would do), or matches nothing (404).
import type { Route, UnaryRoute } from "../../rpc/route.ts";
import { httpBindings, type HttpBinding } from "./http-rules.ts";
import { compareSpecificity, matchTemplate, TemplateError } from "./path-template.ts";

export interface RestEntry {
  route: UnaryRoute;
  binding: HttpBinding;
}

export type RestMatch =
  | { kind: "call"; entry: RestEntry; pathValues: Map<string, string> }
  | { kind: "wrong-method"; allow: string[] }
  | { kind: "none" };

export interface RestTable {
  readonly entries: readonly RestEntry[];
  match(httpMethod: string, path: string): RestMatch;
}

export function createRestTable(routes: readonly Route[]): RestTable {
  const entries: RestEntry[] = [];
  const seen = new Map<string, string>();
  for (const route of routes) {
    if (route.kind !== "unary") continue;
    for (const binding of httpBindings(route.method, route.restBase)) {
      const key = `${binding.httpMethod} ${binding.template.source}`;
      const rpc = `${route.method.parent.typeName}/${route.method.name}`;
      const other = seen.get(key);
      if (other !== undefined) throw new TemplateError(`${key} is bound twice: ${other} and ${rpc}`);
      seen.set(key, rpc);
      entries.push({ route, binding });
    }
  }
  // Most specific first, so the first match is the one to serve.
  entries.sort((a, b) => compareSpecificity(a.binding.template, b.binding.template));

  return {
    entries,
    match(httpMethod, path) {
      const allow = new Set<string>();
      for (const entry of entries) {
        const pathValues = matchTemplate(entry.binding.template, path);
        if (pathValues === null) continue;
        if (entry.binding.httpMethod === httpMethod) return { kind: "call", entry, pathValues };
        allow.add(entry.binding.httpMethod);
      }
      return allow.size === 0 ? { kind: "none" } : { kind: "wrong-method", allow: [...allow].sort() };
    },
  };
}
