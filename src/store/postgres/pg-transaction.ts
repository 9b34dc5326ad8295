// Store.write on PostgreSQL: each write is one transaction on a connection of
// its own from the pool, so concurrent writes (in this process or others on
// the same database) run side by side instead of queueing behind one
// connection as SQLite's do. Its changes are kept when `fn` resolves and
// undone, alone, when it throws; the promise settles after COMMIT.
//
// READ COMMITTED, PostgreSQL's default: each statement sees what had
// committed when it began. Uniqueness is kept by the unique keys (a race
// between two checks ends in a unique violation, reported as the domain's
// ALREADY_EXISTS), and the audit trail's order by the advisory lock taken in
// AuditRepo.append, whose statements must see the transaction committed just
// before the lock was granted; a serializable snapshot, taken at the first
// statement, would not (see audit-repo.postgres.ts).
import type pg from "pg";
import type { Repos } from "../../kernel/store.ts";
import { isRetryable, toDomainError } from "./pg-errors.ts";

/** Runs of a write that meets a deadlock or serialization failure, the first included. */
export const MAX_ATTEMPTS = 5;

export type WriteObserver = (seconds: number, committed: boolean) => void;

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));

export async function runWrite<T>(pool: pg.Pool, reposOf: (client: pg.PoolClient) => Repos, fn: (tx: Repos) => Promise<T>, observe?: WriteObserver): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw toDomainError(err);
    }
    const startedAt = performance.now();
    let broken: Error | undefined;
    let committed = false;
    // A connection that fails while checked out emits its error here (the pool listens only to idle ones); the query under way rejects too.
    const onError = (err: Error) => (broken = err);
    client.on("error", onError);
    try {
      await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
      const value = await fn(reposOf(client));
      // A transaction in which a statement failed (the domain caught the error and went on) is rolled back by COMMIT.
      const result = await client.query("COMMIT");
      if (result.command === "ROLLBACK") throw new Error("the transaction had failed and was rolled back");
      committed = true;
      return value;
    } catch (err) {
      try {
        await client.query("ROLLBACK");
      } catch (lost) {
        // The connection is gone or unusable: the pool must not hand it out again.
        broken = lost as Error;
      }
      if (isRetryable(err) && attempt < MAX_ATTEMPTS) {
        await pause(attempt);
        continue;
      }
      throw toDomainError(err);
    } finally {
      observe?.((performance.now() - startedAt) / 1000, committed);
      client.off("error", onError);
      client.release(broken);
    }
  }
}
