// Resolves who calls and in which organization: a plain function over header
// values, so the Connect interceptor and any other serving path share it.
import type { Authenticator } from "./authenticator.ts";
import { authenticate, resolveOrgScope } from "./authenticate.ts";
import type { Clock } from "../kernel/clock.ts";
import type { CallContext } from "../kernel/deps.ts";
import type { Repos } from "../kernel/store.ts";

export const ORG_HEADER = "x-zitadel-orgid";

export async function resolveCallContext(
  repos: Repos,
  clock: Clock,
  headers: { get(name: string): string | null },
  requestId: string,
  /** The client's address from its socket, and what checks tokens (src/access/authenticator.ts): both optional for tools that serve without them. */
  remoteAddress?: string,
  authenticator?: Authenticator,
): Promise<CallContext> {
  const authorization = headers.get("authorization");
  const principal = await (authenticator ? authenticator(authorization, remoteAddress) : authenticate(repos, clock, authorization));
  const orgId = await resolveOrgScope(repos, principal, headers.get(ORG_HEADER));
  return { principal, orgId, requestId };
}
