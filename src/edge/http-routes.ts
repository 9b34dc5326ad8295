// Routes of HTTP APIs that are not transcodings of an RPC (compat/canopy):
// each a method, a path template, the access it needs, and a handler that
// calls the same domain services the RPCs call. A request goes through the
// same steps as every RPC: the bearer token is authenticated, the API may
// narrow the organization from its path, the route's declared access is
// checked before the body is read, and the domain checks again where it
// writes. Failures are answered in the API's own error body.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { CallContext } from "../kernel/deps.ts";
import { DomainError, invalidArgument } from "../kernel/errors.ts";
import { toConnectError } from "../rpc/error-mapper.ts";
import { admitCaller } from "../rpc/route-admission.ts";
import type { RouteCallDeps } from "../rpc/route-call.ts";
import type { Access } from "../rpc/route.ts";
import { readBody } from "./fast-body.ts";
import { headerGetter } from "./fast-path.ts";
import { compareSpecificity, matchTemplate, parseTemplate, type PathTemplate } from "./rest/path-template.ts";
import type { RestHandler } from "./rest/rest-handler.ts";

type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;
type Headers = { get(name: string): string | null };

/** What a route's handler gets: the caller, the path variables, the query and the parsed JSON body (undefined when empty). */
export interface HttpCall {
  call: CallContext;
  path: Map<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface HttpAnswer {
  status: number;
  body?: JsonValue;
  headers?: [string, string][];
}

export interface HttpRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** A google.api.http path template: "/portal/v1/accounts/{accountSlug}/…". */
  path: string;
  access: Exclude<Access, { scope: "public" }>;
  handle(c: HttpCall): Promise<HttpAnswer>;
}

export interface HttpApi {
  readonly name: string;
  readonly routes: readonly HttpRoute[];
  /** The organization the path names, when the API addresses one there; runs before the route's access is checked. */
  scope?(call: CallContext, path: Map<string, string>, headers: Headers): Promise<CallContext>;
  /** The API's answer to a failure; `field` is the request field a bad request is about. */
  error(err: ConnectError, field: string | undefined): HttpAnswer;
}

interface Entry {
  api: HttpApi;
  route: HttpRoute;
  template: PathTemplate;
}

function answer(res: NodeResponse, a: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = a.status;
  for (const [name, value] of a.headers ?? []) res.setHeader(name, value);
  res.setHeader("cache-control", "no-store");
  if (a.body === undefined) return void res.end();
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(a.body));
}

function parseJson(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalidArgument("body", "is not valid JSON");
  }
}

export function createHttpRoutesHandler(o: { apis: readonly HttpApi[]; deps: RouteCallDeps; readMaxBytes: number }): RestHandler {
  const entries: Entry[] = o.apis.flatMap((api) => api.routes.map((route) => ({ api, route, template: parseTemplate(route.path) })));
  entries.sort((a, b) => compareSpecificity(a.template, b.template));
  const { deps } = o;

  const fail = (res: NodeResponse, api: HttpApi, err: unknown, requestId: string, status?: number) => {
    const field = err instanceof DomainError ? err.field : undefined;
    const e = err instanceof ConnectError ? err : toConnectError(err, deps.log, { api: api.name, requestId });
    const a = api.error(e, field);
    e.metadata.forEach((value, name) => void (a.headers ??= []).push([name, value]));
    answer(res, status === undefined ? a : { ...a, status });
  };

  async function serve(e: Entry, path: Map<string, string>, req: NodeRequest, res: NodeResponse, requestId: string): Promise<void> {
    const headers = headerGetter(req.headers);
    let call: CallContext;
    try {
      // Who calls and where, then the route's access: all before the body is read.
      call = await deps.auth.callContext(headers, requestId, req.socket?.remoteAddress);
      if (e.api.scope) call = await e.api.scope(call, path, headers);
      await admitCaller(deps.repos, e.route.access, call, deps.clock.now());
    } catch (err) {
      req.resume();
      return fail(res, e.api, err, requestId);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readBody(req, o.readMaxBytes, req.headers["content-length"]);
    } catch (err) {
      // A body over the limit is 413 in every API; anything but a ConnectError means the client went away mid-body.
      if (err instanceof ConnectError) fail(res, e.api, err, requestId, err.code === Code.ResourceExhausted ? 413 : undefined);
      return;
    }
    try {
      const url = req.url ?? "";
      const query = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
      answer(res, await e.route.handle({ call, path, query, body: parseJson(bytes) }));
    } catch (err) {
      fail(res, e.api, err, requestId);
    }
  }

  return (req, res, path, requestId) => {
    const method = req.method ?? "";
    const allow = new Set<string>();
    for (const e of entries) {
      const values = matchTemplate(e.template, path);
      if (values === null) continue;
      if (e.route.method !== method) {
        allow.add(e.route.method);
        continue;
      }
      req.on("error", () => {});
      serve(e, values, req, res, requestId).catch((err: unknown) => fail(res, e.api, err, requestId));
      return true;
    }
    const first = entries.find((e) => matchTemplate(e.template, path) !== null);
    if (first === undefined) return false;
    req.on("error", () => {});
    req.resume();
    const methods = [...allow].sort().join(", ");
    const a = first.api.error(new ConnectError(`${method} is not allowed on ${path}; allowed: ${methods}`, Code.Unimplemented), undefined);
    answer(res, { ...a, status: 405, headers: [["allow", methods]] });
    return true;
  };
}
