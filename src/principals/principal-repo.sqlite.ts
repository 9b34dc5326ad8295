// Users and machine identities.
import type { Database } from "better-sqlite3";
import type { IdentityRepo, UserRepo } from "../kernel/store.ts";
import { likePrefix, type Row } from "../store/sqlite/sql.ts";
import { toIdentity, toUser } from "./principal-rows.ts";

export function createUserRepo(db: Database): UserRepo {
  const insert = db.prepare(
    `INSERT INTO users (id, organization_id, email, email_lower, first_name, last_name, is_instance_admin, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const get = db.prepare("SELECT * FROM users WHERE id = ?");
  const byEmail = db.prepare("SELECT * FROM users WHERE organization_id = ? AND email_lower = ?");
  const list = db.prepare(
    "SELECT * FROM users WHERE organization_id = ? AND id > ? AND email_lower LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
  );
  return {
    insert: (u) =>
      void insert.run(u.id, u.organizationId, u.email, u.email.toLowerCase(), u.firstName, u.lastName, u.isInstanceAdmin ? 1 : 0, u.createdAt),
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toUser(r) : null;
    },
    findByEmail: (orgId, email) => {
      const r = byEmail.get(orgId, email.toLowerCase()) as Row | undefined;
      return r ? toUser(r) : null;
    },
    list: (orgId, page, prefix) =>
      list.all(orgId, page.after ?? "", likePrefix(prefix.toLowerCase()), page.limit).map((r) => toUser(r as Row)),
  };
}

export function createIdentityRepo(db: Database): IdentityRepo {
  const insert = db.prepare("INSERT INTO identities (id, organization_id, name, created_at) VALUES (?, ?, ?, ?)");
  const get = db.prepare("SELECT * FROM identities WHERE id = ?");
  const list = db.prepare("SELECT * FROM identities WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?");
  return {
    insert: (i) => void insert.run(i.id, i.organizationId, i.name, i.createdAt),
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toIdentity(r) : null;
    },
    list: (orgId, page) => list.all(orgId, page.after ?? "", page.limit).map((r) => toIdentity(r as Row)),
  };
}
