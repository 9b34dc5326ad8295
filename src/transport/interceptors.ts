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

/** Maps a service's domain errors its own way before the generic mapping (ZITADEL's error details). */
export type ServiceErrorMapper = (err: unknown, method: string) => unknown;

/**
 * Outermost: every error leaves as a ConnectError with the right code, and
 * unknown ones are logged, not sent. Errors of the auth interceptor pass
 * through here too, so a service's mapper also shapes authentication and
 * organization-scope failures.
 */
export function createErrorInterceptor(log: Logger, serviceMappers: Record<string, ServiceErrorMapper> = {}): Interceptor {
  return (next) => async (req) => {
    const fields = () => ({ procedure: `${req.service.typeName}/${req.method.name}`, requestId: req.contextValues.get(requestIdKey) });
    const serviceMapper = serviceMappers[req.service.typeName];
    const map = (err: unknown) => toConnectError(serviceMapper ? serviceMapper(err, req.method.name) : err, log, fields());
    try {
      const res = await next(req);
      if (!res.stream) return res;
      const source = res.message;
      async function* mapped() {
        try {
          yield* source;
        } catch (err) {
          throw map(err);
        }
      }
      return { ...res, message: mapped() };
    } catch (err) {
      throw map(err);
    }
  };
}
