// The server's own bearer tokens: an opaque secret, stored as its hash, that
// names a user or an identity; and the organization scope a call acts in.
import type { Clock } from "../kernel/clock.ts";
import type { Principal } from "../kernel/deps.ts";
import { permissionDenied, unauthenticated } from "../kernel/errors.ts";
import { hashTokenSecret } from "../tokens/token-secret.ts";
import type { Repos } from "../kernel/store.ts";

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,512})[ \t]*$/i;

/**
 * Resolves the principal of an `authorization` header value. Missing,
 * malformed, unknown, revoked and expired tokens all answer UNAUTHENTICATED
 * with the same message, so a probe learns nothing about which tokens exist.
 */
export async function principalOfToken(repos: Repos, clock: Clock, authorization: string | null): Promise<Principal> {
  if (!authorization) throw unauthenticated("missing bearer token in the authorization header");
  const m = BEARER.exec(authorization);
  if (!m) throw unauthenticated("the authorization header must be: Bearer <token>");
  const token = await repos.tokens.findByHash(hashTokenSecret(m[1]!));
  const now = clock.now();
  if (!token || token.revokedAt !== null || (token.expiresAt !== null && now >= token.expiresAt)) {
    throw unauthenticated("the bearer token is unknown, revoked or expired");
  }
  if (token.principalType === "user") {
    const user = await repos.users.get(token.principalId);
    if (!user) throw unauthenticated("the bearer token is unknown, revoked or expired");
    return { type: "user", id: user.id, organizationId: user.organizationId, isInstanceAdmin: user.isInstanceAdmin, tokenId: token.id };
  }
  const identity = await repos.identities.get(token.principalId);
  if (!identity) throw unauthenticated("the bearer token is unknown, revoked or expired");
  return { type: "identity", id: identity.id, organizationId: identity.organizationId, isInstanceAdmin: false, tokenId: token.id };
}

/**
 * The organization a call acts in: the x-zitadel-orgid header, or the
 * caller's own organization. An organization that does not exist, or in which
 * the caller holds no role, is refused with one message; there is never a
 * silent fallback to another organization.
 */
export async function resolveOrgScope(repos: Repos, principal: Principal, header: string | null): Promise<string> {
  if (header === null || header === "") return principal.organizationId;
  const denied = () =>
    permissionDenied("org.scope_denied", `organization ${header.slice(0, 200)} does not exist or the caller holds no role in it`);
  if (header.length > 200) throw denied();
  const org = await repos.orgs.get(header);
  if (!org) throw denied();
  if (principal.isInstanceAdmin || org.id === principal.organizationId) return org.id;
  if ((await repos.orgMembers.rolesOf(org.id, principal.type, principal.id)).length > 0) return org.id;
  throw denied();
}
