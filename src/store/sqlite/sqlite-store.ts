// The embedded store: one write connection, and for file databases a second,
// read-only connection so that reads outside a transaction never see a write
// that is still in flight. Writes go through group commit (group-commit.ts):
// the writes that arrive together share one transaction and one fsync, each
// in its own savepoint, one at a time whatever the domain awaits inside it.
import type { Database } from "better-sqlite3";
import type { Repos, Store } from "../../kernel/store.ts";
import { createAuditRepo } from "../../audit/audit-repo.sqlite.ts";
import { createGroupCommit, type CommitStats, type TransactionObserver } from "./group-commit.ts";
import { createMembershipRepo } from "../../membership/membership-repo.sqlite.ts";
import { migrate } from "./migrations.ts";
import { isMemory, openDatabase } from "./open.ts";
import {
  createIdentityRepo,
  createOrgMemberRepo,
  createOrgRepo,
  createTokenRepo,
  createUserRepo,
} from "../../principals/principal-repo.sqlite.ts";
import { createProjectRepo, createRoleRepo } from "../../projects/project-repo.sqlite.ts";

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

export interface SqliteStore extends Store {
  /** Commits and committed writes since the store opened. */
  readonly stats: Readonly<CommitStats>;
}

export function openSqliteStore(path: string, observe?: TransactionObserver): SqliteStore {
  const writer = openDatabase(path);
  migrate(writer);
  const reader = isMemory(path) ? writer : openDatabase(path, { readonly: true });
  const tx = createRepos(writer);
  const read = reader === writer ? tx : createRepos(reader);
  const writes = createGroupCommit(writer, tx, undefined, observe);
  return {
    read,
    write: (fn) => writes.submit(fn),
    stats: writes.stats,
    close() {
      writes.close(() => {
        if (reader !== writer) reader.close();
        writer.close();
      });
    },
  };
}
