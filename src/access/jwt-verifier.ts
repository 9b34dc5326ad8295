// Bearer JWTs of external identity providers (configured in jwt-config.ts):
// signature against the provider's published keys, issuer, audience, expiry
// and not-before with the provider's clock skew, an asymmetric algorithm
// allow-list, then one claim names a user of the provider's organization.
// Every refusal is UNAUTHENTICATED with a message naming the problem and
// never any part of the token.
import { decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { Clock } from "../kernel/clock.ts";
import type { Principal } from "../kernel/deps.ts";
import { DomainError, unauthenticated } from "../kernel/errors.ts";
import type { Repos } from "../kernel/store.ts";
import type { UserRecord } from "../kernel/records.ts";
import { describeError, type Logger } from "../logger.ts";
import { createKeySource, KeySourceUnavailable } from "./jwks-keys.ts";
import type { JwtProviderConfig } from "./jwt-config.ts";

/** Three base64url parts; the signature may be empty, so an unsigned ("none") token is refused by name too. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
export const looksLikeJwt = (token: string) => JWT_SHAPE.test(token);

export interface JwtVerifierDeps {
  providers: readonly JwtProviderConfig[];
  repos: Pick<Repos, "users">;
  clock: Clock;
  log: Logger;
}

interface Provider {
  config: JwtProviderConfig;
  getKey: JWTVerifyGetKey;
}

const refuse = (problem: string) => unauthenticated(`bearer JWT refused: ${problem}`);

export function createJwtVerifier(deps: JwtVerifierDeps) {
  const providers: Provider[] = deps.providers.map((config) => ({ config, getKey: createKeySource(config) }));

  /** The provider a token claims to come from; its signature is checked next, with that provider's keys. */
  function providerOf(token: string): Provider {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      throw refuse("the token is malformed");
    }
    const byIssuer = providers.filter((p) => p.config.issuer === claims.iss);
    if (byIssuer.length === 0) throw refuse("the issuer (iss) is not a configured identity provider");
    const aud = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    // Several providers may share an issuer with different audiences; a mismatch is then refused by jose, naming aud.
    return byIssuer.find((p) => aud.includes(p.config.audience)) ?? byIssuer[0]!;
  }

  async function userOf(config: JwtProviderConfig, claims: JWTPayload): Promise<UserRecord> {
    const value = claims[config.claim];
    if (typeof value !== "string" || value === "" || value.length > 320) throw refuse(`the ${config.claim} claim is missing or not a string`);
    // An address the provider has not verified could belong to anyone.
    if (config.claim === "email" && claims.email_verified === false) throw refuse("the email claim is not verified (email_verified is false)");
    const user =
      config.claim === "sub" ? await deps.repos.users.get(value) : await deps.repos.users.findByEmail(config.organizationId, value);
    if (!user || user.organizationId !== config.organizationId) {
      throw refuse(`the ${config.claim} claim names no user of the identity provider's organization`);
    }
    return user;
  }

  return {
    async verify(token: string): Promise<Principal> {
      const { config, getKey } = providerOf(token);
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, getKey, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: config.algorithms,
          clockTolerance: config.clockSkewSeconds,
          currentDate: new Date(deps.clock.now()),
          requiredClaims: ["exp"],
        }));
      } catch (err) {
        throw verifyFailure(err, config, deps.log);
      }
      const user = await userOf(config, claims);
      // There is no token record: the provider, not this server, issued the credential.
      return { type: "user", id: user.id, organizationId: user.organizationId, isInstanceAdmin: user.isInstanceAdmin, tokenId: "" };
    },
  };
}

export type JwtVerifier = ReturnType<typeof createJwtVerifier>;

const CLAIM_PROBLEMS: Record<string, string> = {
  iss: "the issuer (iss) is not accepted",
  aud: "the audience (aud) is not accepted",
  nbf: "the token is not valid yet (nbf lies beyond the allowed clock skew)",
  iat: "the issue time (iat) is invalid",
};

/** What went wrong, in words that name the check and never repeat the token. */
function verifyFailure(err: unknown, config: JwtProviderConfig, log: Logger): unknown {
  if (err instanceof KeySourceUnavailable) {
    log.warn("identity provider keys unavailable", { issuer: config.issuer, ...describeError(err.cause) });
    return new DomainError("unavailable", "auth.keys_unavailable", "the identity provider's signing keys could not be loaded; try again later");
  }
  if (err instanceof errors.JWTExpired) return refuse("the token has expired (exp lies beyond the allowed clock skew)");
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === "missing") return refuse(`the required ${err.claim} claim is missing`);
    return refuse(CLAIM_PROBLEMS[err.claim] ?? `the ${err.claim} claim is invalid`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return refuse(`the signature algorithm (alg) is not allowed; accepted: ${config.algorithms.join(", ")}`);
  }
  if (err instanceof errors.JWKSNoMatchingKey) return refuse("no published key of the identity provider matches the token's key id (kid) and algorithm");
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSMultipleMatchingKeys) {
    return refuse("the signature does not verify");
  }
  if (err instanceof errors.JOSEError) return refuse("the token is malformed");
  return err;
}
