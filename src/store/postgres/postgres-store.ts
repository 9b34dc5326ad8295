// The PostgreSQL store: a pool of connections, reads straight on the pool
// (each sees what has committed), each write a transaction on a connection of
// its own (pg-transaction.ts). The pool is exposed so that what comes next
// (LISTEN/NOTIFY change streams across processes, health) can take a
// connection of its own.
import pg from "pg";
import type { Repos, Store } from "../../kernel/store.ts";
import type { Logger } from "../../logger.ts";
import { createAuditRepo } from "../../audit/audit-repo.postgres.ts";
import { createMembershipRepo } from "../../membership/membership-repo.postgres.ts";
import { createOrgMemberRepo, createOrgRepo } from "../../organizations/organization-repo.postgres.ts";
import { createIdentityRepo, createUserRepo } from "../../principals/principal-repo.postgres.ts";
import { createProjectRepo, createRoleRepo } from "../../projects/project-repo.postgres.ts";
import { createTokenRepo } from "../../tokens/token-repo.postgres.ts";
import { migratePostgres } from "./migrations.ts";
import { toDomainError } from "./pg-errors.ts";
import { DEFAULT_DB_CONNECTION, redactUrl, StoreOpenError } from "../db-connection.ts";
import { createPgPool, type PgOptions } from "./pg-pool.ts";
import type { Queryable, ReadMode } from "./pg-sql.ts";
import { runWrite, type WriteObserver } from "./pg-transaction.ts";
import { watchAuditSequence } from "./sequence-watch.ts";

function createRepos(q: Queryable, mode: ReadMode): Repos {
  return {
    orgs: createOrgRepo(q),
    orgMembers: createOrgMemberRepo(q, mode),
    users: createUserRepo(q),
    identities: createIdentityRepo(q),
    tokens: createTokenRepo(q),
    projects: createProjectRepo(q),
    roles: createRoleRepo(q, mode),
    memberships: createMembershipRepo(q, mode),
    audit: createAuditRepo(q),
  };
}

/** Reads on the pool, their failures as domain errors (a lost connection: UNAVAILABLE). */
function mappedReads(pool: pg.Pool): Queryable {
  return {
    query: async (text, values) => {
      try {
        return await pool.query(text, values);
      } catch (err) {
        throw toDomainError(err);
      }
    },
  } as Queryable;
}

export interface PostgresStore extends Store {
  /** The pool, for connections of their own (LISTEN, health checks). */
  readonly pool: pg.Pool;
  /** Closes the pool once the connections in use are returned. */
  end(): Promise<void>;
}

export interface PostgresStoreOptions extends Partial<PgOptions> {
  /** Where connection failures outside a call are reported; the client only learns UNAVAILABLE. */
  log?: Logger;
  /** Called when a commit (another process's, or this one's) moved the audit trail. */
  onExternalCommit?: () => void;
  /** Told of each write transaction (metrics): it carried one write. */
  onTransaction?: (writes: number, seconds: number, committed: boolean) => void;
}

/** Opens the pool and migrates the schema (under the migration lock). */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const { log, onTransaction, onExternalCommit, ...pgOpts } = opts;
  const pool = createPgPool(url, { ...DEFAULT_DB_CONNECTION, ...pgOpts }, (err) =>
    log?.warn("a pooled database connection failed; the pool opens a new one when needed", { db: redactUrl(url), cause: err.message }),
  );
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    // The driver's message names the cause (refused, authentication, no such database), never a statement.
    throw new StoreOpenError(`cannot open the PostgreSQL database ${redactUrl(url)}: ${(err as Error).message || (err as { code?: string }).code}`);
  }
  const observe: WriteObserver | undefined = onTransaction ? (seconds, committed) => onTransaction(1, seconds, committed) : undefined;
  const stopWatch = onExternalCommit ? watchAuditSequence(pool, onExternalCommit) : () => {};
  let ended: Promise<void> | null = null;
  const end = () => {
    stopWatch();
    return (ended ??= pool.end());
  };
  return {
    pool,
    read: createRepos(mappedReads(pool), { lockForWrite: false }),
    write: (fn) => (ended ? Promise.reject(new Error("store is closed")) : runWrite(pool, (client) => createRepos(client, { lockForWrite: true }), fn, observe)),
    close: () => void end().catch(() => {}),
    end,
  };
}
