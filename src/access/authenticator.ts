// Authentication, in one place for every serving path (rpc/route-call.ts):
// who a call's bearer token names — the server's own opaque tokens or JWTs of
// the configured identity providers — behind the budget of failed
// authentications per client address, and the organization the call acts in.
import type { Clock } from "../kernel/clock.ts";
import type { CallContext, Principal } from "../kernel/deps.ts";
import { DomainError } from "../kernel/errors.ts";
import type { Repos } from "../kernel/store.ts";
import type { Logger } from "../logger.ts";
import { createAuthFailureLimiter } from "./auth-failure-limiter.ts";
import type { JwtProviderConfig } from "./jwt-config.ts";
import { createJwtVerifier, looksLikeJwt } from "./jwt-verifier.ts";
import { principalOfToken, resolveOrgScope } from "./opaque-tokens.ts";

/** The header that selects the organization a call acts in, as in ZITADEL. */
export const ORG_HEADER = "x-zitadel-orgid";

export interface Authenticator {
  /**
   * Who calls and in which organization, from the request headers and the
   * client's address (from its socket, never a header; undefined for tools
   * that call in-process).
   */
  callContext(headers: { get(name: string): string | null }, requestId: string, remoteAddress?: string): Promise<CallContext>;
}

export interface AuthenticatorOptions {
  repos: Repos;
  clock: Clock;
  log: Logger;
  /** None by default: the server's own tokens only. */
  jwtProviders?: readonly JwtProviderConfig[];
  /** Failed authentications per address and window; 0 (the default here) turns the budget off. */
  authFailBudget?: number;
  authFailWindowMs?: number;
}

/** A JWT is far longer than the server's tokens; 8 KiB holds any sane one and bounds the work. */
const BEARER_JWT = /^Bearer[ \t]+([A-Za-z0-9._-]{1,8192})[ \t]*$/i;

export function createAuthenticator(o: AuthenticatorOptions): Authenticator {
  const providers = o.jwtProviders ?? [];
  const jwt = providers.length > 0 ? createJwtVerifier({ providers, repos: o.repos, clock: o.clock, log: o.log }) : null;
  const budget = o.authFailBudget ?? 0;
  const failures = createAuthFailureLimiter({ budget, windowMs: o.authFailWindowMs ?? 60_000, clock: o.clock, log: o.log });

  const principalOf = async (authorization: string | null, remoteAddress: string | undefined): Promise<Principal> => {
    // Before the token is looked at: over the budget, the answer must not depend on it.
    failures.check(remoteAddress);
    try {
      const token = jwt && authorization ? BEARER_JWT.exec(authorization)?.[1] : undefined;
      if (token !== undefined && looksLikeJwt(token)) return await jwt!.verify(token);
      return await principalOfToken(o.repos, o.clock, authorization);
    } catch (err) {
      if (err instanceof DomainError && err.kind === "unauthenticated") failures.recordFailure(remoteAddress);
      throw err;
    }
  };

  return {
    async callContext(headers, requestId, remoteAddress) {
      const principal = await principalOf(headers.get("authorization"), remoteAddress);
      const orgId = await resolveOrgScope(o.repos, principal, headers.get(ORG_HEADER));
      return { principal, orgId, requestId };
    },
  };
}
