// One call of a route, the same on every serving path: authenticate (unless
// the route is public), run the handler, and map whatever it throws to a
// ConnectError in the route's dialect. Connect's handlers and the unary fast
// path both call these functions.
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Clock } from "../kernel/clock.ts";
import type { Repos } from "../kernel/store.ts";
import type { Logger } from "../logger.ts";
import { resolveCallContext } from "../access/call-context.ts";
import { toConnectError } from "./error-mapper.ts";
import type { Route, StreamRoute, UnaryRoute } from "./route.ts";
import { toZitadelError } from "../compat/zitadel/zitadel-errors.ts";
import type { CallRecord } from "../observability/rpc-observer.ts";

export interface RouteCallDeps {
  repos: Repos;
  clock: Clock;
  log: Logger;
}

/** What a call brings besides its message, whichever path it came in on. */
export interface CallInput {
  headers: { get(name: string): string | null };
  requestId: string;
  signal: AbortSignal;
  /** The call's access-log and metrics record, told who called. */
  record?: CallRecord;
}

async function callerOf(deps: RouteCallDeps, route: Route, input: CallInput) {
  if (route.access.scope === "public") return null;
  const call = await resolveCallContext(deps.repos, deps.clock, input.headers, input.requestId);
  if (input.record) {
    input.record.principalId = call.principal.id;
    input.record.orgId = call.orgId;
  }
  return call;
}

/** Maps an error of a route's call, in the route's dialect; unknown errors are logged and hidden. */
export function routeError(deps: RouteCallDeps, route: Route, err: unknown, requestId: string): ConnectError {
  const shaped = route.dialect === "zitadel" ? toZitadelError(err, route.method.name) : err;
  return toConnectError(shaped, deps.log, { procedure: `${route.method.parent.typeName}/${route.method.name}`, requestId });
}

/**
 * A deadline that passed while a unary handler ran fails the call, whatever
 * the handler made of it, on every path alike: the client has given up on
 * the answer. A server shutdown does not: calls in flight may finish.
 */
function deadlinePassed(signal: AbortSignal): ConnectError | undefined {
  if (!signal.aborted) return undefined;
  const reason = ConnectError.from(signal.reason);
  return reason.code === Code.DeadlineExceeded ? reason : undefined;
}

/** Runs a unary route; the result may be a message or a plain init object. */
export async function callUnary<I extends DescMessage>(
  deps: RouteCallDeps,
  route: UnaryRoute<I>,
  req: MessageShape<I>,
  input: CallInput,
): Promise<unknown> {
  try {
    const call = await callerOf(deps, route, input);
    const out = await route.handle(req, call, { signal: input.signal });
    const passed = deadlinePassed(input.signal);
    if (passed) throw passed;
    return out;
  } catch (err) {
    throw routeError(deps, route, deadlinePassed(input.signal) ?? err, input.requestId);
  }
}

/** Runs a server-streaming route: authentication fails the call before the first message. */
export async function* callStream<I extends DescMessage>(
  deps: RouteCallDeps,
  route: StreamRoute<I>,
  req: MessageShape<I>,
  input: CallInput,
): AsyncGenerator<unknown> {
  try {
    const call = await callerOf(deps, route, input);
    yield* route.handle(req, call, { signal: input.signal });
  } catch (err) {
    throw routeError(deps, route, err, input.requestId);
  }
}


