// Resolves who calls and in which organization: a plain function over header
// values, so the Connect interceptor and any other serving path share it.
import { authenticate, resolveOrgScope } from "../domain/auth.ts";
import type { Clock } from "../domain/clock.ts";
import type { CallContext } from "../domain/context.ts";
import type { Repos } from "../domain/ports.ts";

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
