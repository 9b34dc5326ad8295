// Registers the route table with a Connect router: every RPC that the fast
// path does not serve (streams, gRPC-web, compressed bodies, GET) runs here,
// through the same call pipeline.
import { ConnectError, type ConnectRouter, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import { requestDecodeFault } from "./error-mapper.ts";
import { callRecordKey, requestIdKey } from "./context-keys.ts";
import { callStream, callUnary, type CallInput, type RouteCallDeps } from "./route-call.ts";
import type { Route } from "./route.ts";

const inputOf = (ctx: HandlerContext): CallInput => ({
  headers: ctx.requestHeader,
  requestId: ctx.values.get(requestIdKey),
  signal: ctx.signal,
  record: ctx.values.get(callRecordKey),
});

export function registerRoutes(router: ConnectRouter, routes: readonly Route[], deps: RouteCallDeps): void {
  for (const route of routes) {
    if (route.kind === "unary") {
      router.rpc(route.method, (req, ctx) => callUnary(deps, route, req, inputOf(ctx)) as never);
    } else {
      router.rpc(route.method, (req, ctx) => callStream(deps, route, req, inputOf(ctx)) as never);
    }
  }
}

/**
 * Connect decodes a stream's request inside the interceptor chain, after the
 * route's own pipeline can see it: a body that does not decode is the
 * client's fault there too (requestDecodeFault). Unary requests are decoded
 * before interceptors run; the edge corrects those responses.
 */
export const decodeFaults: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (err) {
    throw (err instanceof ConnectError && requestDecodeFault(err.code, err.rawMessage)) || err;
  }
};
