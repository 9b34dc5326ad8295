// Resolves who calls and in which organization: a plain function over header
// values, so the Connect interceptor and any other serving path share it.
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
): Promise<CallContext> {
  const principal = await authenticate(repos, clock, headers.get("authorization"));
  const orgId = await resolveOrgScope(repos, principal, headers.get(ORG_HEADER));
  return { principal, orgId, requestId };
}
