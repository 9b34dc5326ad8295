// Bearer tokens, stored by the hash of their secret, on PostgreSQL.
import type { TokenRepo } from "../kernel/store.ts";
import { allRows, oneRow, type Queryable } from "../store/postgres/pg-sql.ts";
import { toToken } from "./token-rows.ts";

export function createTokenRepo(q: Queryable): TokenRepo {
  const byColumn = async (column: "hash" | "id", value: unknown) => {
    const r = await oneRow(q, `SELECT * FROM tokens WHERE ${column} = $1`, [value]);
    return r ? toToken(r) : null;
  };
  return {
    insert: async (t, hash) =>
      void (await q.query(
        `INSERT INTO tokens (id, hash, organization_id, principal_type, principal_id, description, created_at, expires_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [t.id, hash, t.organizationId, t.principalType, t.principalId, t.description, t.createdAt, t.expiresAt, t.revokedAt],
      )),
    findByHash: (hash) => byColumn("hash", hash),
    get: (id) => byColumn("id", id),
    revoke: async (id, at) => void (await q.query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", [at, id])),
    list: async (orgId, page, principalId) =>
      (
        await allRows(q, "SELECT * FROM tokens WHERE organization_id = $1 AND id > $2 AND ($3 = '' OR principal_id = $3) ORDER BY id LIMIT $4", [
          orgId, page.after ?? "", principalId, page.limit,
        ])
      ).map(toToken),
  };
}
