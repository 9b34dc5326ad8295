// CORS for browser clients (Connect-Web, grpc-web). Origins are matched
// exactly; there is no pattern matching, so a typo fails closed.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { cors } from "@connectrpc/connect";

export interface CorsOptions {
  /** Exact origins like "https://app.example.com"; the single entry "*" allows any; empty disables CORS. */
  allowedOrigins: string[];
}

// Connect needs POST and GET; the REST paths (google.api.http) also use PUT, PATCH and DELETE.
const allowMethods = unique([...cors.allowedMethods, "PUT", "PATCH", "DELETE"]).join(", ");
const allowHeaders = unique([
  ...cors.allowedHeaders,
  "Authorization",
  "X-Zitadel-Orgid",
  "X-Request-Id",
  "X-User-Agent",
  "X-Grpc-Web",
]).join(", ");
const exposeHeaders = unique([
  ...cors.exposedHeaders,
  "Grpc-Status",
  "Grpc-Message",
  "Grpc-Status-Details-Bin",
  "X-Request-Id",
]).join(", ");
const maxAgeSeconds = "7200";

/** Applies CORS to a request. Returns true when it fully answered the request (a preflight), false when the caller should go on. */
export function applyCors(
  opts: CorsOptions,
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
): boolean {
  const origin = req.headers.origin;
  if (opts.allowedOrigins.length === 0 || typeof origin !== "string") return false;
  const allowed = opts.allowedOrigins.includes("*") || opts.allowedOrigins.includes(origin);
  const preflight = req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
  if (allowed) {
    // Echoing the origin instead of "*" keeps the answer valid should credentials ever be allowed.
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
  }
  if (!preflight) {
    if (allowed) res.setHeader("Access-Control-Expose-Headers", exposeHeaders);
    return false;
  }
  if (allowed) {
    res.setHeader("Access-Control-Allow-Methods", allowMethods);
    res.setHeader("Access-Control-Allow-Headers", allowHeaders);
    res.setHeader("Access-Control-Max-Age", maxAgeSeconds);
  }
  // A refused preflight is answered too, only without allow-origin: the browser then blocks the call.
  res.statusCode = 204;
  res.end();
  return true;
}

function unique(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const n of names) if (!seen.has(n.toLowerCase())) seen.set(n.toLowerCase(), n);
  return [...seen.values()];
}
