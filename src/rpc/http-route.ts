// A plain HTTP route of another API whose paths and JSON the proto
// transcoder cannot express (Infisical's nulls and error body, Canopy's
// account slugs and 201s). It declares who may call it with the same Access
// as an RPC route, so the edge admits the caller through the same pipeline
// (authentication, organization scope, permission before the body is read)
// before the handler, which calls the same domain services as the RPCs.
import type { ConnectError } from "@connectrpc/connect";
import type { CallContext } from "../kernel/deps.ts";
import type { Access } from "./route.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a handler gets: the admitted caller, path variables, query and the parsed JSON body. */
export interface HttpCall {
  call: CallContext;
  params: ReadonlyMap<string, string>;
  query: URLSearchParams;
  /** The JSON body; undefined when the route reads none or the request has none. */
  body: unknown;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

export interface HttpRoute {
  readonly method: HttpMethod;
  /** A path template: literals and `{name}` variables (google.api.http syntax). */
  readonly path: string;
  readonly access: Exclude<Access, { scope: "public" }>;
  /** The path variable naming the project a project-scoped route is admitted on. */
  readonly projectParam?: string;
  /** Whether the route reads a JSON body. */
  readonly body?: true;
  /** The HTTP status of a success; 200 when left out. */
  readonly status?: number;
  /** Answers the JSON body of a success. */
  handle(c: HttpCall): Promise<unknown>;
}

/** An HTTP status and JSON body, with headers such as retry-after. */
export interface HttpAnswer {
  status: number;
  body: unknown;
  headers?: [string, string][];
}

/** What the edge knows of a failure beyond its code and message. */
export interface HttpFailure {
  requestId: string;
  /** The request field a bad request is about, as the API names it. */
  field?: string;
  /** Overrides the status of the code where the edge knows better (405 wrong method, 413 body too large). */
  status?: number;
}

/** Another API served over plain HTTP: its routes, where it acts, and how it writes an error. */
export interface HttpApi {
  readonly name: string;
  readonly routes: readonly HttpRoute[];
  /**
   * The organization the path names, for an API that addresses one there
   * (Canopy's account slug); runs after authentication, before the route's
   * access is checked. Without it the call acts where x-zitadel-orgid says.
   */
  scope?(call: CallContext, params: ReadonlyMap<string, string>, headers: { get(name: string): string | null }): Promise<CallContext>;
  /** The answer to a failed call; unknown errors arrive already logged and hidden as INTERNAL. */
  answerError(err: ConnectError, failure: HttpFailure): HttpAnswer;
}
