// Serves the REST paths of the route table: matches the request against the
// google.api.http bindings, admits the caller on its headers, builds the
// request message, runs it through the one call pipeline (authentication,
// organization scope from x-zitadel-orgid, authorization before validation,
// the route's error dialect) and answers in proto3 JSON. The edge hands it
// every request whose path is not an RPC's.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { create, isMessage, toJson, type DescMessage, type JsonValue, type JsonWriteOptions } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describeError } from "../../logger.ts";
import type { CallContext } from "../../kernel/deps.ts";
import { admitCall, callUnary, routeError, type CallInput, type RouteCallDeps } from "../../rpc/route-call.ts";
import type { Route } from "../../rpc/route.ts";
import { readBody } from "../fast-body.ts";
import { headerGetter } from "../fast-path.ts";
import type { HttpBinding } from "./http-rules.ts";
import { restError } from "./rest-errors.ts";
import { buildRequest } from "./request-message.ts";
import { createRestTable, type RestEntry } from "./rest-table.ts";

/** A request and response of either HTTP version, as every handler of the edge gets them. */
export type NodeRequest = IncomingMessage | Http2ServerRequest;
export type NodeResponse = ServerResponse | Http2ServerResponse;

export interface RestOptions {
  routes: readonly Route[];
  deps: RouteCallDeps;
  readMaxBytes: number;
  /** The server's JSON options, so REST answers write defaults as the RPC answers do. */
  jsonOptions?: Partial<JsonWriteOptions>;
}

/** Answers the request and returns true when its path is a REST path; returns false and leaves it alone otherwise. */
export type RestHandler = (req: NodeRequest, res: NodeResponse, path: string, requestId: string) => boolean;

function answer(res: NodeResponse, status: number, body: JsonValue, headers: [string, string][] = []): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  for (const [name, value] of headers) res.setHeader(name, value);
  res.setHeader("content-type", "application/json");
  res.setHeader("cache-control", "no-store");
  res.end(JSON.stringify(body));
}

/** The answer's JSON: the whole response message, or the one field the binding's response_body names. */
export function responseJson(output: DescMessage, binding: HttpBinding, out: unknown, json: Partial<JsonWriteOptions>): JsonValue {
  const whole = toJson(output, isMessage(out, output) ? out : create(output, out as never), json);
  const field = binding.responseBody;
  return field ? ((whole as Record<string, JsonValue>)[field.jsonName] ?? null) : whole;
}

export function createRestHandler(opts: RestOptions): RestHandler {
  const table = createRestTable(opts.routes);
  const json = opts.jsonOptions ?? {};

  /** The server's JSON options, as the route's API writes them over REST. */
  const jsonOf = (route: Route | undefined) => ({ ...json, ...route?.dialect.rest?.json });
  const fail = (res: NodeResponse, err: ConnectError, route?: Route, status?: number) => {
    const e = restError(err, jsonOf(route));
    answer(res, status ?? e.status, e.body, e.headers);
  };

  async function serve(entry: RestEntry, pathValues: Map<string, string>, req: NodeRequest, res: NodeResponse, requestId: string) {
    const { route, binding } = entry;
    const controller = new AbortController();
    res.once("close", () => res.writableFinished || controller.abort(new ConnectError("the client went away", Code.Canceled)));
    const input: CallInput = { headers: headerGetter(req.headers), requestId, signal: controller.signal, remoteAddress: req.socket?.remoteAddress };
    // The caller is admitted on its headers before the body is read: no one learns how a request is validated before being authorized.
    let caller: CallContext | null;
    try {
      caller = await admitCall(opts.deps, route, input);
    } catch (err) {
      req.resume(); // keeps an HTTP/1.1 connection reusable
      return fail(res, err as ConnectError, route);
    }
    let body: Uint8Array;
    try {
      body = await readBody(req, opts.readMaxBytes, req.headers["content-length"]);
    } catch (err) {
      // Anything but a ConnectError means the client went away mid-body: no one to answer.
      if (!(err instanceof ConnectError)) return;
      return fail(res, err, route, err.code === Code.ResourceExhausted ? 413 : undefined);
    }
    let out: unknown;
    try {
      const url = req.url ?? "";
      const query = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
      const message = buildRequest(route.method.input, binding.body, { body, pathValues, query }, route.dialect.rest?.ignoreUnknown);
      out = await callUnary(opts.deps, route, message as never, input, caller);
    } catch (err) {
      if (controller.signal.aborted) return;
      return fail(res, err instanceof ConnectError ? err : routeError(opts.deps, route, err, requestId), route);
    }
    answer(res, 200, responseJson(route.method.output, binding, out, jsonOf(route)));
  }

  return (req, res, path, requestId) => {
    const m = table.match(req.method ?? "", path);
    if (m.kind === "none") return false;
    if (m.kind === "wrong-method") {
      req.on("error", () => {});
      req.resume();
      const message = `${req.method} is not allowed on ${path}; allowed: ${m.allow.join(", ")}`;
      answer(res, 405, { code: Code.Unimplemented, message, details: [] }, [["allow", m.allow.join(", ")]]);
      return true;
    }
    req.on("error", () => {});
    serve(m.entry, m.pathValues, req, res, requestId).catch((err: unknown) => {
      opts.deps.log.error("rest call failed", { requestId, ...describeError(err) });
      fail(res, new ConnectError("internal error", Code.Internal));
    });
    return true;
  };
}
