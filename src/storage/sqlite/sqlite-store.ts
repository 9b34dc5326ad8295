// The embedded store: one write connection, and for file databases a second,
// read-only connection so that reads outside a transaction never see a write
// that is still in flight. better-sqlite3 is synchronous, so write
// transactions are serialized by a promise queue: only one BEGIN is open at a
// time, whatever the domain awaits inside it.
import type { Database } from "better-sqlite3";
import type { Repos, Store } from "../../domain/ports.ts";
import { createAuditRepo } from "./audit-repo.ts";
import { createMembershipRepo } from "./membership-repo.ts";
import { migrate } from "./migrations.ts";
import { isMemory, openDatabase } from "./open.ts";
import {
  createIdentityRepo,
  createOrgMemberRepo,
  createOrgRepo,
  createTokenRepo,
  createUserRepo,
} from "./principal-repos.ts";
import { createProjectRepo, createRoleRepo } from "./project-repos.ts";

function createRepos(db: Database): Repos {
  return {
    orgs: createOrgRepo(db),
    orgMembers: createOrgMemberRepo(db),
    users: createUserRepo(db),
    identities: createIdentityRepo(db),
    tokens: createTokenRepo(db),
    projects: createProjectRepo(db),
    roles: createRoleRepo(db),
    memberships: createMembershipRepo(db),
    audit: createAuditRepo(db),
  };
}

export function openSqliteStore(path: string): Store {
  const writer = openDatabase(path);
  migrate(writer);
  const reader = isMemory(path) ? writer : openDatabase(path, { readonly: true });
  const tx = createRepos(writer);
  const read = reader === writer ? tx : createRepos(reader);
  const begin = writer.prepare("BEGIN IMMEDIATE");
  const commit = writer.prepare("COMMIT");
  const rollback = writer.prepare("ROLLBACK");
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function run<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    if (closed) throw new Error("store is closed");
    begin.run();
    try {
      const result = await fn(tx);
      commit.run();
      return result;
    } catch (err) {
      if (writer.inTransaction) rollback.run();
      throw err;
    }
  }

  return {
    read,
    write<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
      const result = queue.then(() => run(fn));
      queue = result.catch(() => undefined);
      return result;
    },
    close() {
      if (closed) return;
      closed = true;
      if (reader !== writer) reader.close();
      writer.close();
    },
  };
}
