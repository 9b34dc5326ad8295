// Bearer tokens. The secret is returned once; only its SHA-256 is stored.
import { authorizeOrg, holdsInOrg } from "../access/authorize.ts";
import { isSelf, requirePrincipal, requirePrincipalRef } from "../principals/principal-ref.ts";
import { actorOf, audited, created } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { invalidArgument, notFound, permissionDenied } from "../kernel/errors.ts";
import { hashTokenSecret, newTokenSecret } from "./token-secret.ts";
import { tokenRevoked } from "./token-revocation.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { PrincipalType, TokenRecord } from "../kernel/records.ts";
import { MAX_ID_LENGTH, requireId, requireText } from "../kernel/validate.ts";



export function createTokenService(deps: Deps) {
  return {
    /**
     * A principal may always issue tokens for itself; for others it needs
     * org.token.write, checked before the request is validated. `expiresAt`
     * NaN is a time out of range.
     */
    async create(
      ctx: CallContext,
      input: { principalType: PrincipalType | null; principalId: string; expiresAt: number | null; description: string },
    ): Promise<{ token: TokenRecord; secret: string }> {
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        const named = { type: input.principalType, id: input.principalId };
        if (!isSelf(ctx, named)) await authorizeOrg(tx, ctx, "org.token.write");
        const owner = requirePrincipalRef(named);
        const description = requireText("description", input.description, 200, 0);
        if (input.expiresAt !== null && Number.isNaN(input.expiresAt)) throw invalidArgument("expire_time", "is out of range");
        if (input.expiresAt !== null && input.expiresAt <= now) throw invalidArgument("expire_time", "must lie in the future");
        await requirePrincipal(tx, owner, ctx.orgId);
        const secret = newTokenSecret();
        const token: TokenRecord = {
          id: deps.ids.next(),
          organizationId: ctx.orgId,
          principalType: owner.type,
          principalId: owner.id,
          description,
          createdAt: now,
          expiresAt: input.expiresAt,
          revokedAt: null,
        };
        await tx.tokens.insert(token, hashTokenSecret(secret));
        await record(created("token", token.id, ctx.orgId, { id: token.id, principalType: token.principalType, principalId: token.principalId, expiresAt: token.expiresAt }));
        return { token, secret };
      });
    },

    /**
     * Revoking an already revoked token succeeds and changes nothing. Without
     * org.token.write only the caller's own tokens may be revoked: any other
     * id, whether another's, unknown or malformed, is refused alike.
     */
    async revoke(ctx: CallContext, tokenId: string): Promise<TokenRecord> {
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        const found = tokenId === "" || tokenId.length > MAX_ID_LENGTH ? null : await tx.tokens.get(tokenId);
        const token = found && found.organizationId === ctx.orgId ? found : null;
        if (!token || !isSelf(ctx, { type: token.principalType, id: token.principalId })) await authorizeOrg(tx, ctx, "org.token.write");
        requireId("token_id", tokenId);
        if (!token) throw notFound("token.not_found", `token ${tokenId} not found`);
        if (token.revokedAt !== null) return token;
        await tx.tokens.revoke(tokenId, now);
        await record(tokenRevoked(token, now));
        return { ...token, revokedAt: now };
      });
    },

    /** Without org.token.read a principal lists only its own tokens. */
    async list(ctx: CallContext, input: { pageSize: number; pageToken: string; principalId: string }) {
      const repos = deps.store.read;
      let principalId = input.principalId;
      if (principalId !== ctx.principal.id) {
        if (!(await holdsInOrg(repos, ctx, "org.token.read"))) {
          if (principalId !== "") throw permissionDenied("permission.missing", `missing permission org.token.read in organization ${ctx.orgId}`);
          principalId = ctx.principal.id;
        }
      }
      const q = pageQuery(input.pageSize, input.pageToken);
      return page(q, (p) => repos.tokens.list(ctx.orgId, p, principalId), (t) => t.id);
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
