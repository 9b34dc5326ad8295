// A route is one RPC of the server: its method descriptor, who may call it,
// its error dialect and the handler that maps the request onto the domain.
// Every serving path (Connect's handlers, the unary fast path) dispatches
// from the same list of routes (src/routes.ts), so an RPC cannot be served
// one way and described another.
import type { DescMessage, DescMethodServerStreaming, DescMethodUnary, JsonWriteOptions, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { CallContext } from "../kernel/deps.ts";
import type { Permission } from "../access/permissions.ts";

/**
 * How a route's errors are shaped before they become ConnectErrors: the
 * native API passes domain errors on as they are; another API's routes bring
 * their own (compat/zitadel adds ZITADEL's error ids and codes).
 */
export interface Dialect {
  readonly name: string;
  shape(err: unknown, method: string): unknown;
  /** The message types its errors carry as details: server reflection describes them, so clients can decode them. */
  readonly detailTypes?: readonly DescMessage[];
  /** How the API's REST gateway differs from the server's own JSON, where it does (ZITADEL's: see zitadel-errors.ts). */
  readonly rest?: {
    /** How answers are written: ZITADEL's gateway leaves out fields at their default. */
    readonly json?: Partial<JsonWriteOptions>;
    /** Unknown request fields, enum names and query parameters are dropped instead of refused. */
    readonly ignoreUnknown?: boolean;
  };
}

export const NATIVE: Dialect = { name: "native", shape: (err) => err };

/**
 * Who may call a route. The call pipeline checks it before the handler
 * validates anything (src/access/route-admission.ts), and the domain checks
 * it again where it writes; the authorization tests and README's permission
 * table are generated from the declaration.
 * - public: no token (health checks);
 * - authenticated: any valid token; what it returns is limited to what the caller may see;
 * - instance: instance administrators only;
 * - self: the caller acts on itself only;
 * - organization: a permission from an organization role in the organization of the call;
 * - project: a permission on the project, from an organization role or an active membership
 *   (where `project_id` may be empty, the permission is asked of the organization instead).
 * `self: true` means a caller acting on itself needs no permission; `inOrganization` is
 * what a project-scoped RPC needs instead when it addresses the organization itself
 * (ZITADEL's administrators of an organization rather than of a project).
 */
export type Access =
  | { scope: "public" | "authenticated" | "instance" | "self" }
  | { scope: "organization" | "project"; permission: Permission; self?: true; inOrganization?: Permission };

/** What a handler gets besides the request. */
export interface RouteEnv {
  /** Aborted when the client goes away, the deadline passes or the server shuts down. */
  signal: AbortSignal;
}

type Output<O extends DescMessage> = MessageInitShape<O> | MessageShape<O>;

export interface UnaryRoute<I extends DescMessage = any, O extends DescMessage = any> {
  readonly kind: "unary";
  readonly method: DescMethodUnary<I, O>;
  readonly access: Access;
  readonly dialect: Dialect;
  /** Where the RPC's google.api.http paths are mounted, when its API puts them under a prefix (ZITADEL: /management/v1). */
  readonly restBase?: string;
  /** `call` is null only on public routes. */
  handle(req: MessageShape<I>, call: CallContext | null, env: RouteEnv): Promise<Output<O>>;
}

export interface StreamRoute<I extends DescMessage = any, O extends DescMessage = any> {
  readonly kind: "server_streaming";
  readonly method: DescMethodServerStreaming<I, O>;
  readonly access: Access;
  readonly dialect: Dialect;
  handle(req: MessageShape<I>, call: CallContext | null, env: RouteEnv): AsyncIterable<Output<O>>;
}

export type Route = UnaryRoute | StreamRoute;

type PrivateAccess = Exclude<Access, { scope: "public" }>;

/** A unary RPC that needs a caller. */
export function unary<I extends DescMessage, O extends DescMessage>(
  method: DescMethodUnary<I, O>,
  access: PrivateAccess,
  handle: (req: MessageShape<I>, call: CallContext, env: RouteEnv) => Promise<Output<O>>,
  dialect: Dialect = NATIVE,
): UnaryRoute<I, O> {
  return { kind: "unary", method, access, dialect, handle: (req, call, env) => handle(req, call!, env) };
}

/** A server-streaming RPC that needs a caller. */
export function serverStream<I extends DescMessage, O extends DescMessage>(
  method: DescMethodServerStreaming<I, O>,
  access: PrivateAccess,
  handle: (req: MessageShape<I>, call: CallContext, env: RouteEnv) => AsyncIterable<Output<O>>,
  dialect: Dialect = NATIVE,
): StreamRoute<I, O> {
  return { kind: "server_streaming", method, access, dialect, handle: (req, call, env) => handle(req, call!, env) };
}

/** A unary RPC anyone may call, without a token. */
export function publicUnary<I extends DescMessage, O extends DescMessage>(
  method: DescMethodUnary<I, O>,
  handle: (req: MessageShape<I>, env: RouteEnv) => Promise<Output<O>>,
): UnaryRoute<I, O> {
  return { kind: "unary", method, access: { scope: "public" }, dialect: NATIVE, handle: (req, _call, env) => handle(req, env) };
}

/** A server-streaming RPC anyone may call, without a token. */
export function publicStream<I extends DescMessage, O extends DescMessage>(
  method: DescMethodServerStreaming<I, O>,
  handle: (req: MessageShape<I>, env: RouteEnv) => AsyncIterable<Output<O>>,
): StreamRoute<I, O> {
  return { kind: "server_streaming", method, access: { scope: "public" }, dialect: NATIVE, handle: (req, _call, env) => handle(req, env) };
}

/** "/membership.v1.MembershipService/CheckAccess": the HTTP path of a route. */
export const routePath = (r: Route) => `/${r.method.parent.typeName}/${r.method.name}`;
