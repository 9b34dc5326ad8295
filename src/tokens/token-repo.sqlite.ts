// Bearer tokens, stored by the hash of their secret.
import type { Database } from "better-sqlite3";
import type { TokenRepo } from "../kernel/store.ts";
import type { Row } from "../store/sqlite/sql.ts";
import { toToken } from "./token-rows.ts";

export function createTokenRepo(db: Database): TokenRepo {
  const insert = db.prepare(
    `INSERT INTO tokens (id, hash, organization_id, principal_type, principal_id, description, created_at, expires_at, revoked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare("SELECT * FROM tokens WHERE hash = ?");
  const get = db.prepare("SELECT * FROM tokens WHERE id = ?");
  const revoke = db.prepare("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  const list = db.prepare(
    "SELECT * FROM tokens WHERE organization_id = ? AND id > ? AND (? = '' OR principal_id = ?) ORDER BY id LIMIT ?",
  );
  return {
    insert: (t, hash) =>
      void insert.run(t.id, hash, t.organizationId, t.principalType, t.principalId, t.description, t.createdAt, t.expiresAt, t.revokedAt),
    findByHash: (hash) => {
      const r = byHash.get(hash) as Row | undefined;
      return r ? toToken(r) : null;
    },
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toToken(r) : null;
    },
    revoke: (id, at) => void revoke.run(at, id),
    list: (orgId, page, principalId) =>
      list.all(orgId, page.after ?? "", principalId, principalId, page.limit).map((r) => toToken(r as Row)),
  };
}
