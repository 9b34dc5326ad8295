// Users and machine identities, on PostgreSQL.
import type { IdentityRepo, UserRepo } from "../kernel/store.ts";
import { allRows, likePrefix, oneRow, type Queryable } from "../store/postgres/pg-sql.ts";
import { toIdentity, toUser } from "./principal-rows.ts";

export function createUserRepo(q: Queryable): UserRepo {
  return {
    insert: async (u) =>
      void (await q.query(
        `INSERT INTO users (id, organization_id, email, email_lower, first_name, last_name, is_instance_admin, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [u.id, u.organizationId, u.email, u.email.toLowerCase(), u.firstName, u.lastName, u.isInstanceAdmin, u.createdAt],
      )),
    get: async (id) => {
      const r = await oneRow(q, "SELECT * FROM users WHERE id = $1", [id]);
      return r ? toUser(r) : null;
    },
    findByEmail: async (orgId, email) => {
      const r = await oneRow(q, "SELECT * FROM users WHERE organization_id = $1 AND email_lower = $2", [orgId, email.toLowerCase()]);
      return r ? toUser(r) : null;
    },
    list: async (orgId, page, prefix) =>
      (
        await allRows(q, "SELECT * FROM users WHERE organization_id = $1 AND id > $2 AND email_lower LIKE $3 ORDER BY id LIMIT $4", [
          orgId, page.after ?? "", likePrefix(prefix.toLowerCase()), page.limit,
        ])
      ).map(toUser),
  };
}

export function createIdentityRepo(q: Queryable): IdentityRepo {
  return {
    insert: async (i) => void (await q.query("INSERT INTO identities (id, organization_id, name, created_at) VALUES ($1, $2, $3, $4)", [i.id, i.organizationId, i.name, i.createdAt])),
    get: async (id) => {
      const r = await oneRow(q, "SELECT * FROM identities WHERE id = $1", [id]);
      return r ? toIdentity(r) : null;
    },
    list: async (orgId, page) =>
      (await allRows(q, "SELECT * FROM identities WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3", [orgId, page.after ?? "", page.limit])).map(toIdentity),
  };
}
