// One call of a route, the same on every serving path: admit the caller by
// the route's declared access before the message is read (admitCall), admit
// the project the message names, run the handler, and map whatever it throws
// to a ConnectError in the route's dialect. Connect's handlers (through its
// request gate) and the unary fast path both call these functions, so no
// serving path validates a request before the caller is authorized.
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Authenticator } from "../access/authenticator.ts";
import { admitCaller, admitProject } from "./route-admission.ts";
import type { Clock } from "../kernel/clock.ts";
import type { CallContext } from "../kernel/deps.ts";
import type { Repos } from "../kernel/store.ts";
import type { Logger } from "../logger.ts";
import { toConnectError } from "./error-mapper.ts";
import type { Route, StreamRoute, UnaryRoute } from "./route.ts";

export interface RouteCallDeps {
  repos: Repos;
  clock: Clock;
  log: Logger;
  /** Who calls and in which organization (access/authenticator.ts). */
  auth: Authenticator;
}

/** What a call brings besides its message, whichever path it came in on. */
export interface CallInput {
  headers: { get(name: string): string | null };
  requestId: string;
  signal: AbortSignal;
  /** The client's address, from its socket (never from a header). */
  remoteAddress: string | undefined;
}

/**
 * Who calls, refused unless the route's declared access can admit them:
 * headers only, so it runs before the request message is read. Null on
 * public routes. Throws the ConnectError to answer with.
 */
export async function admitCall(deps: RouteCallDeps, route: Route, input: CallInput): Promise<CallContext | null> {
  if (route.access.scope === "public") return null;
  try {
    const call = await deps.auth.callContext(input.headers, input.requestId, input.remoteAddress);
    await admitCaller(deps.repos, route.access, call, deps.clock.now());
    return call;
  } catch (err) {
    throw routeError(deps, route, err, input.requestId);
  }
}

/**
 * The caller, once the message is in: the project the message names is
 * authorized before the handler reads the rest. `caller` is what admitCall
 * returned, or undefined when the serving path has not run it yet.
 */
async function admitted<I extends DescMessage>(deps: RouteCallDeps, route: Route, req: MessageShape<I>, input: CallInput, caller: CallContext | null | undefined) {
  const call = caller === undefined ? await admitCall(deps, route, input) : caller;
  if (call) await admitProject(deps.repos, route, call, req, deps.clock.now());
  return call;
}

/** Maps an error of a route's call, in the route's dialect; unknown errors are logged and hidden. */
export function routeError(deps: RouteCallDeps, route: Route, err: unknown, requestId: string): ConnectError {
  const shaped = route.dialect.shape(err, route.method.name);
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

/** Runs a unary route for the caller admitCall admitted; the result may be a message or a plain init object. */
export async function callUnary<I extends DescMessage>(
  deps: RouteCallDeps,
  route: UnaryRoute<I>,
  req: MessageShape<I>,
  input: CallInput,
  caller?: CallContext | null,
): Promise<unknown> {
  try {
    const call = await admitted(deps, route, req, input, caller);
    const out = await route.handle(req, call, { signal: input.signal });
    const passed = deadlinePassed(input.signal);
    if (passed) throw passed;
    return out;
  } catch (err) {
    throw routeError(deps, route, deadlinePassed(input.signal) ?? err, input.requestId);
  }
}

/** Runs a server-streaming route for a caller admitCall admitted: a refusal fails the call before the first message. */
export async function* callStream<I extends DescMessage>(
  deps: RouteCallDeps,
  route: StreamRoute<I>,
  req: MessageShape<I>,
  input: CallInput,
  caller?: CallContext | null,
): AsyncGenerator<unknown> {
  try {
    const call = await admitted(deps, route, req, input, caller);
    yield* route.handle(req, call, { signal: input.signal });
  } catch (err) {
    throw routeError(deps, route, err, input.requestId);
  }
}


