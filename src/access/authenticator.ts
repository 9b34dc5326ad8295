// Who a call's bearer token names, for every serving path (route-call.ts →
// resolveCallContext): the server's own opaque tokens as before, JWTs of the
// configured identity providers, and the budget of failed authentications
// per client address in front of both.
import type { Clock } from "../kernel/clock.ts";
import { authenticate } from "./authenticate.ts";
import type { Principal } from "../kernel/deps.ts";
import { DomainError } from "../kernel/errors.ts";
import type { Repos } from "../kernel/store.ts";
import type { Logger } from "../logger.ts";
import { createAuthFailureLimiter } from "./auth-failure-limiter.ts";
import type { JwtProviderConfig } from "./jwt-config.ts";
import { createJwtVerifier, looksLikeJwt } from "./jwt-verifier.ts";

export type Authenticator = (authorization: string | null, remoteAddress: string | undefined) => Promise<Principal>;

export interface AuthenticatorOptions {
  repos: Repos;
  clock: Clock;
  log: Logger;
  jwtProviders: readonly JwtProviderConfig[];
  authFailBudget: number;
  authFailWindowMs: number;
}

/** A JWT is far longer than the server's tokens; 8 KiB holds any sane one and bounds the work. */
const BEARER_JWT = /^Bearer[ \t]+([A-Za-z0-9._-]{1,8192})[ \t]*$/i;

export function createAuthenticator(o: AuthenticatorOptions): Authenticator {
  const jwt = o.jwtProviders.length > 0 ? createJwtVerifier({ providers: o.jwtProviders, repos: o.repos, clock: o.clock, log: o.log }) : null;
  const failures = createAuthFailureLimiter({ budget: o.authFailBudget, windowMs: o.authFailWindowMs, clock: o.clock, log: o.log });

  return async (authorization, remoteAddress) => {
    // Before the token is looked at: over the budget, the answer must not depend on it.
    failures.check(remoteAddress);
    try {
      const token = jwt && authorization ? BEARER_JWT.exec(authorization)?.[1] : undefined;
      if (token !== undefined && looksLikeJwt(token)) return await jwt!.verify(token);
      return await authenticate(o.repos, o.clock, authorization);
    } catch (err) {
      if (err instanceof DomainError && err.kind === "unauthenticated") failures.recordFailure(remoteAddress);
      throw err;
    }
  };
}
