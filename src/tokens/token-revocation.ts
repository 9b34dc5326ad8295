// Revoking tokens, alone or all of a principal's at once (when it is
// deleted), with one audit event per token. Runs inside the caller's transaction.
import type { Change } from "../audit/audit-log.ts";
import type { PrincipalType, TokenRecord } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";

/** The audit event of a revocation. */
export const tokenRevoked = (token: TokenRecord, at: number): Change => ({
  action: "token.revoked",
  targetType: "token",
  targetId: token.id,
  organizationId: token.organizationId,
  projectId: null,
  before: { revokedAt: null },
  after: { revokedAt: at },
});

/** Revokes every token of the principal that is not revoked yet; returns how many. */
export async function revokeTokensOf(tx: Repos, record: (c: Change) => Promise<number>, p: { type: PrincipalType; id: string }, now: number): Promise<number> {
  const tokens = await tx.tokens.unrevokedOf(p.type, p.id);
  for (const t of tokens) {
    await tx.tokens.revoke(t.id, now);
    await record(tokenRevoked(t, now));
  }
  return tokens.length;
}
