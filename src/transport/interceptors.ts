// Connect interceptors: thin adapters over plain functions (call-context.ts,
// error-mapper.ts) that other serving paths call directly.
import type { Interceptor } from "@connectrpc/connect";
import type { Clock } from "../domain/clock.ts";
import type { Repos } from "../domain/ports.ts";
import type { Logger } from "../logger.ts";
import { callContextKey, resolveCallContext } from "./call-context.ts";
import { requestIdKey } from "./context-keys.ts";
import { toConnectError } from "./error-mapper.ts";

/** Services that answer without a token. */
const PUBLIC_SERVICES = new Set(["grpc.health.v1.Health"]);

export function createAuthInterceptor(deps: { repos: Repos; clock: Clock }): Interceptor {
  return (next) => async (req) => {
    if (PUBLIC_SERVICES.has(req.service.typeName)) return next(req);
    const call = await resolveCallContext(deps.repos, deps.clock, req.header, req.contextValues.get(requestIdKey));
    req.contextValues.set(callContextKey, call);
    return next(req);
  };
}

/** Outermost: every error leaves as a ConnectError with the right code, and unknown ones are logged, not sent. */
export function createErrorInterceptor(log: Logger): Interceptor {
  return (next) => async (req) => {
    const fields = () => ({ procedure: `${req.service.typeName}/${req.method.name}`, requestId: req.contextValues.get(requestIdKey) });
    try {
      const res = await next(req);
      if (!res.stream) return res;
      const source = res.message;
      async function* mapped() {
        try {
          yield* source;
        } catch (err) {
          throw toConnectError(err, log, fields());
        }
      }
      return { ...res, message: mapped() };
    } catch (err) {
      throw toConnectError(err, log, fields());
    }
  };
}
