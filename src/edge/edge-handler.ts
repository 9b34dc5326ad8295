// The one (req, res) function the listener calls: request id, CORS, GET / and /healthz,
// the console's files, then Connect dispatch. Dispatch mirrors connectNodeAdapter from
// @connectrpc/connect-node, with grpc-web-text translated around the handler
// and unknown methods answered in the caller's protocol.
import * as http2 from "node:http2";
import { Code, ConnectError, type ContextValues } from "@connectrpc/connect";
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import { universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import { pickRequestId } from "./request-id.ts";
import { VERSION } from "../version.ts";
import { applyCors, type CorsOptions } from "./cors.ts";
import { decodeGrpcWebTextRequest, encodeGrpcWebTextResponse, isGrpcWebText } from "./grpc-web-text.ts";
import { encodeGrpcMessage } from "./grpc-message.ts";
import type { HealthState } from "./health-service.ts";
import { fixResponseStatus } from "./response-status.ts";
import { dropUnholdableDeadline } from "../edge/deadline.ts";
import { createLogger, describeError, type Logger } from "../logger.ts";
import type { PageHandler } from "../observability/metrics-http.ts";
import { noObserver, type CallRecord, type RpcObserver, type RpcProtocol } from "../observability/rpc-observer.ts";
import type { NodeRequest, NodeResponse, RestHandler } from "./rest/rest-handler.ts";
import { CONSOLE_PATH, type ConsoleFiles } from "./console-files.ts";

export interface EdgeOptions {
  /** router.handlers from createConnectRouter(...). */
  handlers: UniversalHandler[];
  cors: CorsOptions;
  /** Answers GET /healthz: 200 {"status":"SERVING"} or 503 {"status":"NOT_SERVING"}. */
  health: HealthState;
  /** Called once per request with the request id, client address and the call's record, before dispatch; the result becomes the call's contextValues. */
  contextValues: (requestId: string, remoteAddress: string | undefined, record: CallRecord) => ContextValues;
  /** Where failures of the edge itself are reported; never given bodies or headers. */
  log?: Logger;
  /** Told of every call dispatched to a handler: access log and metrics. */
  observer?: RpcObserver;
  /** Plain GET endpoints besides / and /healthz, by path (GET /metrics). */
  pages?: ReadonlyMap<string, PageHandler>;
  /** The REST paths of the route table (google.api.http); tried on paths that name no RPC. */
  rest?: RestHandler;
  /** The web console under /console (console-files.ts). */
  console?: ConsoleFiles;
}

// connect-node's own response type patches write() and writeHead() so both kinds fit.
type ConnectNodeResponse = Parameters<typeof universalResponseToNodeResponse>[1];


export function createEdgeHandler(opts: EdgeOptions): (req: NodeRequest, res: NodeResponse) => void {
  const log = opts.log ?? createLogger("error");
  const observer = opts.observer ?? noObserver;
  const paths = new Map<string, UniversalHandler>();
  for (const h of opts.handlers) paths.set(h.requestPath, h);

  return function edgeHandler(req, res) {
    try {
      const requestId = pickRequestId(req.headers["x-request-id"]);
      res.setHeader("x-request-id", requestId);
      if (applyCors(opts.cors, req, res)) return;
      // Strip the query when matching, as connectNodeAdapter does.
      const path = (req.url ?? "").split("?", 2)[0] ?? "";
      if (path === "/healthz" && req.method === "GET") {
        return answerHealthz(opts.health, res);
      }
      if (path === "/" && req.method === "GET") return answerIndex(req, res);
      if (opts.console?.(req, res, path)) return;
      const page = req.method === "GET" ? opts.pages?.get(path) : undefined;
      if (page !== undefined) return page(res);
      const uHandler = paths.get(path);
      if (uHandler === undefined) {
        if (opts.rest?.(req, res, path, requestId)) return;
        return answerUnknownMethod(req, res, path);
      }
      if (authorityOf(req) === undefined) return answerMissingHost(req, res, log);
      const contentType = req.headers["content-type"];
      const textContentType = isGrpcWebText(contentType) ? contentType : undefined;
      const record = observer.start(path.slice(1), protocolOf(contentType), req.httpVersion === "2.0" ? "2" : req.httpVersion, requestId, uHandler.method.methodKind === "server_streaming");
      // Closed: the answer is written, or the client is gone; either way the
      // call is over. (universalResponseToNodeResponse's promise is no
      // signal: on HTTP/2 it waits for an 'end' event that never comes.)
      res.once("close", () => {
        if (clientWentAway(res)) record.code = Code.Canceled;
        record.end();
      });
      let uReq = universalRequestFromNodeRequest(
        req,
        res as ConnectNodeResponse,
        undefined,
        opts.contextValues(requestId, req.socket?.remoteAddress, record),
      );
      if (textContentType !== undefined) uReq = decodeGrpcWebTextRequest(uReq);
      dropUnholdableDeadline(uReq.header);
      uHandler(uReq)
        .then(async (uRes) => {
          const isGrpcWeb = uRes.header?.get("content-type")?.startsWith("application/grpc-web") === true;
          const fixed = await fixResponseStatus(uRes, (code) => (record.code = code));
          const out = textContentType !== undefined && isGrpcWeb ? encodeGrpcWebTextResponse(fixed, textContentType) : fixed;
          return universalResponseToNodeResponse(out, res as ConnectNodeResponse);
        })
        .catch((reason: unknown) => {
          // Aborted means the client went away; nothing to report or answer.
          if (ConnectError.from(reason).code === Code.Aborted) return;
          log.error("rpc failed at the edge", {
            procedure: `${uHandler.service.typeName}/${uHandler.method.name}`,
            requestId,
            ...describeError(reason),
          });
          failResponse(res);
        });
    } catch (err) {
      log.error("request setup failed at the edge", describeError(err));
      failResponse(res);
    }
  };
}

/**
 * Whether the client left before the whole answer was written: it reset the
 * HTTP/2 stream, or the HTTP/1.1 connection closed early. Whatever status
 * the server wrote then, the client never read it.
 */
function clientWentAway(res: NodeResponse): boolean {
  if ("stream" in res) return res.stream.rstCode !== undefined && res.stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR;
  return !res.writableFinished;
}

/** Which protocol a request speaks, by its content type; Connect's GET requests have none. */
function protocolOf(contentType: string | undefined): RpcProtocol {
  if (contentType?.startsWith("application/grpc-web")) return "grpc-web";
  if (contentType?.startsWith("application/grpc")) return "grpc";
  return "connect";
}

function answerHealthz(health: HealthState, res: NodeResponse): void {
  const serving = health.isServing();
  answerJson(res, serving ? 200 : 503, { status: serving ? "SERVING" : "NOT_SERVING" });
}

/** What GET / tells a person or a script that finds the port: what this is and where to go next. */
const SERVER_INDEX = {
  name: "membership-server",
  version: VERSION,
  api: {
    services: [
      "membership.v1",
      "zitadel.management.v1",
      "zitadel.internal_permission.v2beta",
      "zitadel.authorization.v2beta",
      "grpc.health.v1",
      "grpc.reflection.v1",
    ],
    protocols: ["grpc", "grpc-web", "connect", "rest"],
    example: "POST /membership.v1.ProjectService/ListProjects with authorization: Bearer <token>",
  },
  health: "/healthz",
  console: CONSOLE_PATH,
  docs: "README.md of the project: the two commands, every RPC and the permission it needs",
};

/** A browser (it asks for HTML first) gets a page that links to the console; anyone else the JSON. */
function answerIndex(req: NodeRequest, res: NodeResponse): void {
  if (!/^\s*text\/html/.test(req.headers.accept ?? "")) return answerJson(res, 200, SERVER_INDEX);
  res.statusCode = 200;
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.end(`<!doctype html><meta charset="utf-8"><title>membership-server</title>` +
    `<h1>membership-server ${VERSION}</h1><p><a href="${CONSOLE_PATH}">Open the console</a> · <a href="/healthz">health</a></p>\n`);
}

function answerJson(res: NodeResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.setHeader("cache-control", "no-store");
  res.end(JSON.stringify(body));
}

/**
 * gRPC and gRPC-web clients only understand a status in grpc-status, so they
 * get a trailers-only 200; everyone else gets the Connect error JSON with 404.
 */
function answerUnknownMethod(req: NodeRequest, res: NodeResponse, path: string): void {
  const contentType = req.headers["content-type"] ?? "";
  const message = `unknown method ${path}`;
  if (contentType.startsWith("application/grpc")) {
    const isWeb = contentType.startsWith("application/grpc-web");
    res.statusCode = 200;
    res.setHeader("content-type", isWeb ? contentType : "application/grpc");
    res.setHeader("grpc-status", String(Code.Unimplemented)); // gRPC status numbers equal Connect's Code values
    res.setHeader("grpc-message", encodeGrpcMessage(message));
    res.end();
    drainRequest(req);
    return;
  }
  res.statusCode = 404;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ code: "unimplemented", message }));
  drainRequest(req);
}

/** Where connect-node takes the request URL's authority from; HTTP/1.0 may omit Host, HTTP/2 :authority. */
function authorityOf(req: NodeRequest): string | undefined {
  return "authority" in req ? req.authority : req.headers.host;
}

/**
 * Connect needs an authority to build the request URL and fails with
 * INTERNAL without one. Leaving it out is the client's mistake: 400, and a
 * debug line at most, since any client can send as many as it likes.
 */
function answerMissingHost(req: NodeRequest, res: NodeResponse, log: Logger): void {
  log.debug("request without Host refused", { httpVersion: req.httpVersion });
  res.statusCode = 400;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ code: "invalid_argument", message: "the request has no Host header" }));
  drainRequest(req);
}

/** Reading the rest of an unwanted body keeps an HTTP/1.1 connection reusable. */
function drainRequest(req: NodeRequest): void {
  req.on("error", () => {});
  req.resume();
}

/** Headers not sent yet: answer 500. Already streaming: the only honest signal left is to break the stream. */
function failResponse(res: NodeResponse): void {
  try {
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ code: "internal", message: "internal error" }));
    } else if (!res.writableEnded) {
      res.destroy();
    }
  } catch {
    res.destroy();
  }
}
