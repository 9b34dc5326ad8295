// Group commit: the writes waiting when the connection is free share one
// transaction, so one fsync (synchronous=FULL) makes many of them durable.
// Each write runs inside its own savepoint, one after another even when it
// awaits, so a write that throws is rolled back without touching its
// neighbours. Every promise settles only after the COMMIT: a success is never
// reported before its data is on disk, and a failure that was decided on a
// neighbour's uncommitted data is not reported if that data never commits.
import type { Database } from "better-sqlite3";

/** Counters for benchmarks and tests: transactions committed, and the writes they carried. */
export interface CommitStats {
  commits: number;
  writes: number;
}

interface Pending<R> {
  fn: (tx: R) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Why a whole transaction was lost, and how many writes of the batch had started by then. */
interface Lost {
  error: unknown;
  started: number;
}

export interface GroupCommit<R> {
  submit<T>(fn: (tx: R) => Promise<T>): Promise<T>;
  readonly stats: Readonly<CommitStats>;
  /** Rejects the writes not yet started; `closed` runs once the batch under way, if any, has settled. */
  close(closed: () => void): void;
}

/** Told of each transaction: the writes it carried, how long it held the database, whether it committed. */
export type TransactionObserver = (writes: number, seconds: number, committed: boolean) => void;

export function createGroupCommit<R>(db: Database, tx: R, maxBatch = 64, observe?: TransactionObserver): GroupCommit<R> {
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  const savepoint = db.prepare("SAVEPOINT write");
  const release = db.prepare("RELEASE write");
  const rollbackTo = db.prepare("ROLLBACK TO write");
  const queue: Pending<R>[] = [];
  const stats: CommitStats = { commits: 0, writes: 0 };
  let scheduled = false;
  let running = false;
  let onIdle: (() => void) | null = null;

  // setImmediate rather than a microtask: requests read in the same turn of
  // the event loop all reach the queue before the batch starts.
  function schedule() {
    if (scheduled || running || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => void runBatch());
  }

  /** Runs one write in its savepoint; `lost` when SQLite itself ended the transaction. */
  async function runOne(p: Pending<R>): Promise<{ outcome: Outcome; lost: boolean }> {
    savepoint.run();
    let value: unknown;
    try {
      value = await p.fn(tx);
    } catch (error) {
      // Some errors (I/O, disk full) make SQLite roll back the whole
      // transaction: then the writes before this one are gone as well.
      if (!db.inTransaction) return { outcome: { ok: false, error }, lost: true };
      rollbackTo.run();
      release.run();
      return { outcome: { ok: false, error }, lost: false };
    }
    release.run();
    return { outcome: { ok: true, value }, lost: false };
  }

  /** Runs the batch in one transaction: each write's outcome once committed, or why the transaction was lost. */
  async function runTransaction(batch: Pending<R>[]): Promise<{ outcomes: Outcome[] } | { lost: Lost }> {
    try {
      begin.run();
    } catch (error) {
      return { lost: { error, started: batch.length } };
    }
    const outcomes: Outcome[] = [];
    try {
      for (const p of batch) {
        const { outcome, lost } = await runOne(p);
        outcomes.push(outcome);
        if (lost) return { lost: { error: (outcome as { error: unknown }).error, started: outcomes.length } };
      }
      commit.run();
      return { outcomes };
    } catch (error) {
      // A savepoint statement or the COMMIT failed; a failed COMMIT can leave the transaction open.
      try {
        if (db.inTransaction) rollback.run();
      } catch {
        // Nothing more to undo here: the next BEGIN reports what is wrong with the connection.
      }
      return { lost: { error, started: Math.min(outcomes.length + 1, batch.length) } };
    }
  }

  async function runBatch() {
    scheduled = false;
    if (queue.length === 0) return;
    running = true;
    const batch = queue.splice(0, maxBatch);
    const startedAt = performance.now();
    const result = await runTransaction(batch);
    const seconds = (performance.now() - startedAt) / 1000;
    observe?.(("outcomes" in result ? batch.length : result.lost.started), seconds, "outcomes" in result);
    if ("outcomes" in result) {
      stats.commits += 1;
      batch.forEach((p, i) => {
        const o = result.outcomes[i]!;
        if (!o.ok) return p.reject(o.error);
        stats.writes += 1;
        p.resolve(o.value);
      });
    } else {
      // Every write that ran shares the lost transaction's fate, whatever its
      // own outcome; those that never started go first into the next batch.
      for (const p of batch.slice(0, result.lost.started)) p.reject(result.lost.error);
      queue.unshift(...batch.slice(result.lost.started));
    }
    running = false;
    if (onIdle) onIdle();
    else schedule();
  }

  return {
    submit<T>(fn: (tx: R) => Promise<T>): Promise<T> {
      if (onIdle) return Promise.reject(new Error("store is closed"));
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
    stats,
    close(closed) {
      if (onIdle) return;
      onIdle = closed;
      for (const p of queue.splice(0)) p.reject(new Error("store is closed"));
      if (!running) closed();
    },
  };
}
