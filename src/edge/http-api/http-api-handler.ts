// Serves the plain HTTP routes of other APIs (rpc/http-route.ts) on the
// server's port, tried before the REST paths on paths that name no RPC. One
// call runs the pipeline of every RPC: the caller is authenticated and its
// organization resolved from its headers (x-zitadel-orgid) or, for an API
// that addresses one in its path, from the path; the route's declared access
// is checked, then the project the path names, and only then is the body
// read and handed to the route. Failures become
// ConnectErrors as on every path (unknown ones logged and hidden), and the
// API writes them in its own error body.
import { Code, ConnectError } from "@connectrpc/connect";
import { DomainError, invalidArgument } from "../../kernel/errors.ts";
import { describeError } from "../../logger.ts";
import { toConnectError } from "../../rpc/error-mapper.ts";
import type { HttpAnswer, HttpApi, HttpFailure, HttpRoute } from "../../rpc/http-route.ts";
import { admitCaller, admitProjectId } from "../../rpc/route-admission.ts";
import type { RouteCallDeps } from "../../rpc/route-call.ts";
import { readBody } from "../fast-body.ts";
import { headerGetter } from "../fast-path.ts";
import type { NodeRequest, NodeResponse, RestHandler } from "../rest/rest-handler.ts";
import { createHttpApiTable } from "./http-api-table.ts";

export interface HttpApiOptions {
  apis: readonly HttpApi[];
  deps: RouteCallDeps;
  readMaxBytes: number;
}

function answer(res: NodeResponse, a: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = a.status;
  for (const [name, value] of a.headers ?? []) res.setHeader(name, value);
  res.setHeader("cache-control", "no-store");
  if (a.body === undefined) return void res.end();
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify(a.body));
}

/** The API's error answer, with the error's metadata (retry-after and the like) as headers. */
function answerFailure(res: NodeResponse, api: HttpApi, err: ConnectError, failure: HttpFailure): void {
  const a = api.answerError(err, failure);
  const headers = [...(a.headers ?? [])];
  err.metadata.forEach((value, name) => void headers.push([name, value]));
  answer(res, { ...a, headers });
}

function parseJson(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalidArgument("body", "is not valid JSON");
  }
}

export function createHttpApiHandler(opts: HttpApiOptions): RestHandler {
  const table = createHttpApiTable(opts.apis);
  const { deps } = opts;

  async function serve(api: HttpApi, route: HttpRoute, params: Map<string, string>, req: NodeRequest, res: NodeResponse, requestId: string) {
    const controller = new AbortController();
    res.once("close", () => res.writableFinished || controller.abort(new ConnectError("the client went away", Code.Canceled)));
    const fail = (err: unknown) => {
      const field = err instanceof DomainError ? err.field : undefined;
      answerFailure(res, api, toConnectError(err, deps.log, { api: api.name, path: route.path, requestId }), { requestId, field });
    };
    try {
      // Who calls and whether the route and the project admit it, from the headers and the path alone.
      const headers = headerGetter(req.headers);
      let call = await deps.auth.callContext(headers, requestId, req.socket?.remoteAddress);
      if (api.scope) call = await api.scope(call, params, headers);
      const now = deps.clock.now();
      await admitCaller(deps.repos, route.access, call, now);
      await admitProjectId(deps.repos, route.access, call, route.projectParam && params.get(route.projectParam), now);
      let bytes: Uint8Array = new Uint8Array();
      if (route.body) {
        try {
          bytes = await readBody(req, opts.readMaxBytes, req.headers["content-length"]);
        } catch (err) {
          // Anything but a ConnectError means the client went away mid-body: no one to answer.
          if (!(err instanceof ConnectError)) return;
          if (err.code !== Code.ResourceExhausted) throw err;
          return answerFailure(res, api, err, { requestId, status: 413 });
        }
      } else req.resume();
      const body = parseJson(bytes);
      const url = req.url ?? "";
      const query = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
      const out = await route.handle({ call, params, query, body, signal: controller.signal });
      answer(res, { status: route.status ?? 200, body: out });
    } catch (err) {
      req.resume(); // keeps an HTTP/1.1 connection reusable
      if (!controller.signal.aborted) fail(err);
    }
  }

  return (req, res, path, requestId) => {
    const m = table.match(req.method ?? "", path);
    if (m.kind === "none") return false;
    req.on("error", () => {});
    if (m.kind === "wrong-method") {
      req.resume();
      const err = new ConnectError(`${req.method} is not allowed on ${path}; allowed: ${m.allow.join(", ")}`, Code.Unimplemented);
      const a = m.api.answerError(err, { requestId, status: 405 });
      answer(res, { ...a, headers: [...(a.headers ?? []), ["allow", m.allow.join(", ")]] });
      return true;
    }
    serve(m.api, m.route, m.params, req, res, requestId).catch((err: unknown) => {
      deps.log.error("http api call failed", { requestId, ...describeError(err) });
      answer(res, m.api.answerError(new ConnectError("internal error", Code.Internal), { requestId }));
    });
    return true;
  };
}
