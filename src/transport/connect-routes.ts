// Registers the route table with a Connect router: every RPC that the fast
// path does not serve (streams, gRPC-web, compressed bodies, GET) runs here,
// through the same call pipeline.
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { requestIdKey } from "./context-keys.ts";
import { callStream, callUnary, type CallInput, type RouteCallDeps } from "./route-call.ts";
import type { Route } from "./route.ts";

const inputOf = (ctx: HandlerContext): CallInput => ({
  headers: ctx.requestHeader,
  requestId: ctx.values.get(requestIdKey),
  signal: ctx.signal,
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
