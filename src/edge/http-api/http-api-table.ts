// The paths of the plain HTTP APIs, parsed once: a request matches one
// route, or paths whose methods differ (405 with the methods that would
// do), or nothing (the edge tries the next kind of path).
import type { HttpApi, HttpRoute } from "../../rpc/http-route.ts";
import { compareSpecificity, matchTemplate, parseTemplate, TemplateError, type PathTemplate } from "../rest/path-template.ts";

interface Entry {
  api: HttpApi;
  route: HttpRoute;
  template: PathTemplate;
}

export type HttpApiMatch =
  | { kind: "call"; api: HttpApi; route: HttpRoute; params: Map<string, string> }
  | { kind: "wrong-method"; api: HttpApi; allow: string[] }
  | { kind: "none" };

export function createHttpApiTable(apis: readonly HttpApi[]) {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const api of apis) {
    for (const route of api.routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new TemplateError(`${key} is bound twice`);
      seen.add(key);
      entries.push({ api, route, template: parseTemplate(route.path) });
    }
  }
  // Most specific first, so the first match is the one to serve.
  entries.sort((a, b) => compareSpecificity(a.template, b.template));

  return {
    entries,
    match(method: string, path: string): HttpApiMatch {
      const allow = new Set<string>();
      let api: HttpApi | undefined;
      for (const e of entries) {
        const params = matchTemplate(e.template, path);
        if (params === null) continue;
        if (e.route.method === method) return { kind: "call", api: e.api, route: e.route, params };
        allow.add(e.route.method);
        api ??= e.api;
      }
      return api === undefined ? { kind: "none" } : { kind: "wrong-method", api, allow: [...allow].sort() };
    },
  };
}
