// The embedded store: one write connection, and for file databases a second,
// read-only connection so that reads outside a transaction never see a write
// that is still in flight. Writes go through group commit (group-commit.ts):
// the writes that arrive together share one transaction and one fsync, each
// in its own savepoint, one at a time whatever the domain awaits inside it.
import type { Database } from "better-sqlite3";
import type { Repos, Store } from "../../kernel/store.ts";
import type { Logger } from "../../logger.ts";
import { createAuditRepo } from "../../audit/audit-repo.sqlite.ts";
import { watchDataVersion } from "./data-version-watch.ts";
import { assertWritable, isDiskError, openingWritable, storeNotWritable } from "./disk-errors.ts";
import { createGroupCommit, type CommitStats, type TransactionObserver } from "./group-commit.ts";
import { createMembershipRepo } from "../../membership/membership-repo.sqlite.ts";
import { migrate } from "./migrations.ts";
import { isMemory, openDatabase } from "./open.ts";
import { createOrgMemberRepo, createOrgRepo } from "../../organizations/organization-repo.sqlite.ts";
import { createIdentityRepo, createUserRepo } from "../../principals/principal-repo.sqlite.ts";
import { createTokenRepo } from "../../tokens/token-repo.sqlite.ts";
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

export interface StoreOptions {
  /** Called when another process commits to the same file (file databases only). */
  onExternalCommit?: () => void;
  /** Where a write refused by the disk is reported; the client only learns the store is not writable. */
  log?: Logger;
  /** Told of each write transaction (metrics). */
  onTransaction?: TransactionObserver;
}

export function openSqliteStore(path: string, opts: StoreOptions = {}): SqliteStore {
  if (!isMemory(path)) assertWritable(path);
  const writer = openingWritable(path, () => {
    const db = openDatabase(path);
    try {
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return db;
  });
  const reader = isMemory(path) ? writer : openDatabase(path, { readonly: true });
  const tx = createRepos(writer);
  const read = reader === writer ? tx : createRepos(reader);
  const writes = createGroupCommit(writer, tx, undefined, opts.onTransaction);
  const { onExternalCommit, log } = opts;
  const stopWatch = onExternalCommit && reader !== writer ? watchDataVersion(writer, onExternalCommit) : () => {};
  return {
    read,
    write: (fn) =>
      writes.submit(fn).catch((err: unknown) => {
        if (!isDiskError(err)) throw err;
        log?.error("write refused by the disk; the transaction was rolled back", { db: path, code: err.code, cause: err.message });
        throw storeNotWritable();
      }),
    stats: writes.stats,
    close() {
      stopWatch();
      writes.close(() => {
        if (reader !== writer) reader.close();
        writer.close();
      });
    },
  };
}
