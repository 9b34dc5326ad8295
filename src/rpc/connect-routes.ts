// Registers the route table with a Connect router: every RPC that the fast
// path does not serve (streams, gRPC-web, compressed bodies, GET) runs here,
// through the same call pipeline.
import { ConnectError, createContextKey, type ConnectRouter, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import type { CallContext } from "../kernel/deps.ts";
import { requestDecodeFault } from "./error-mapper.ts";
import { remoteAddressKey, requestIdKey } from "./context-keys.ts";
import { admitCall, callStream, callUnary, type CallInput, type RouteCallDeps } from "./route-call.ts";
import type { Route } from "./route.ts";

/** The caller the request gate admitted; undefined until it ran. */
const admittedKey = createContextKey<CallContext | null | undefined>(undefined, { description: "admitted caller" });

const inputOf = (ctx: HandlerContext): CallInput => ({
  headers: ctx.requestHeader,
  requestId: ctx.values.get(requestIdKey),
  signal: ctx.signal,
  remoteAddress: ctx.values.get(remoteAddressKey),
});

/**
 * Connect runs a request gate once the headers are in, before it reads,
 * decompresses or decodes the message: the route's admission runs there, so
 * a caller the route refuses gets the refusal whatever body it sent, as on
 * the fast path.
 */
export function registerRoutes(router: ConnectRouter, routes: readonly Route[], deps: RouteCallDeps): void {
  for (const route of routes) {
    const requestGate = async (ctx: HandlerContext) => {
      ctx.values.set(admittedKey, await admitCall(deps, route, inputOf(ctx)));
    };
    const caller = (ctx: HandlerContext) => ctx.values.get(admittedKey);
    if (route.kind === "unary") {
      router.rpc(route.method, (req, ctx) => callUnary(deps, route, req, inputOf(ctx), caller(ctx)) as never, { requestGate });
    } else {
      router.rpc(route.method, (req, ctx) => callStream(deps, route, req, inputOf(ctx), caller(ctx)) as never, { requestGate });
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
