// A plain HTTP route of another API whose paths and JSON the proto
// transcoder cannot express (Infisical's: nulls, camelCase bodies of its own,
// its own error body). It declares who may call it with the same Access as
// an RPC route, so the edge admits the caller through the same pipeline
// (authentication, x-zitadel-orgid, permission before validation) before
// the handler, which calls the same domain services as the RPC handlers.
import type { ConnectError } from "@connectrpc/connect";
import type { CallContext } from "../kernel/deps.ts";
import type { Access } from "./route.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a handler reads of the request: path variables, query and the parsed JSON body. */
export interface HttpCall {
  params: ReadonlyMap<string, string>;
  query: URLSearchParams;
  /** The JSON body; undefined when the request has none. */
  body: unknown;
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
  handle(req: HttpCall, call: CallContext, env: { signal: AbortSignal }): Promise<unknown>;
}

/** An HTTP status and JSON body, with headers such as retry-after. */
export interface HttpAnswer {
  status: number;
  body: unknown;
  headers?: [string, string][];
}

/** Another API served over plain HTTP: its routes and how it writes an error. */
export interface HttpApi {
  readonly name: string;
  readonly routes: readonly HttpRoute[];
  /**
   * The answer to a failed call; unknown errors arrive already logged and
   * hidden as INTERNAL. `status` overrides the one of the code where the
   * edge knows better (405 wrong method, 413 body too large).
   */
  answerError(err: ConnectError, requestId: string, status?: number): HttpAnswer;
}
