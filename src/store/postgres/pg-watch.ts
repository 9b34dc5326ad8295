// One connection of its own to PostgreSQL, outside the pool, that does two
// things for a server process:
//
// - Change streams across processes. It LISTENs on CHANGES_CHANNEL, on which
//   every write transaction that appends an audit event sends a NOTIFY
//   (audit-repo.postgres.ts). PostgreSQL delivers a NOTIFY only when its
//   transaction commits, so a wake-up never runs ahead of the data. A
//   notification carries nothing: readers re-read the audit trail from their
//   last sequence (kernel/store.ts, ChangeNotifier), so merged or lost
//   notifications lose no event. Notifications sent while the connection was
//   down are lost for good, so after every (re)connect every reader is woken
//   once.
// - Reachability. A cheap probe (SELECT 1) on this connection every
//   `probeMs`, a pool connection that fails, and the connection's own loss
//   all tell whether the database answers; the server's health follows it.
//   While it is down the connection is retried with a growing pause, so the
//   server recovers on its own when the database comes back.
//
// A dedicated connection, not a pooled one: LISTEN belongs to a session, and
// a probe must not queue behind calls waiting for the pool under load.
import pg from "pg";
import type { Logger } from "../../logger.ts";

/** The NOTIFY channel of committed audit events. */
export const CHANGES_CHANNEL = "membership_changes";

export interface PgWatchOptions {
  /** Another commit may have happened (a notification, or a reconnect that may have missed some). */
  onChange: () => void;
  /** The database became reachable (true) or stopped answering (false). */
  onReachable: (reachable: boolean) => void;
  log?: Logger;
  /** Pause between probes while connected. */
  probeMs?: number;
  /** A probe that has no answer after this long counts as a lost connection. */
  probeTimeoutMs?: number;
}

export interface PgWatch {
  reachable(): boolean;
  /** Ends the connection and the retries; nothing is reported after. */
  stop(): Promise<void>;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 1_000;

/** Connects (once, before resolving) and keeps the connection up until stop(). */
export async function watchPostgres(pool: pg.Pool, o: PgWatchOptions): Promise<PgWatch> {
  const probeMs = o.probeMs ?? 1_000;
  const probeTimeoutMs = o.probeTimeoutMs ?? 3_000;
  let stopped = false;
  let reachable = true;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  let probe: NodeJS.Timeout | undefined;
  let pause = RETRY_MIN_MS;

  const report = (now: boolean, cause?: string) => {
    if (stopped || now === reachable) return;
    reachable = now;
    if (now) o.log?.info("the database answers again");
    else o.log?.warn("the database does not answer; reconnecting", { cause });
    o.onReachable(now);
  };

  const schedule = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, pause);
    retry.unref();
    pause = Math.min(pause * 2, RETRY_MAX_MS);
  };

  const connect = async () => {
    // The pool's own settings (address, TLS, types), with a bound on how long a probe may hang.
    const c = new pg.Client({ ...(pool.options as pg.ClientConfig), query_timeout: probeTimeoutMs, connectionTimeoutMillis: probeTimeoutMs, keepAlive: true });
    let gone = false;
    const lost = (err?: Error) => {
      if (gone) return;
      gone = true;
      if (client === c) client = null;
      clearTimeout(probe);
      c.end().catch(() => {});
      report(false, err?.message ?? "connection ended");
      schedule();
    };
    c.on("error", lost);
    c.on("end", () => lost());
    c.on("notification", (m) => m.channel === CHANGES_CHANNEL && o.onChange());
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      lost(err as Error);
      return;
    }
    if (stopped) return void c.end().catch(() => {});
    client = c;
    pause = RETRY_MIN_MS;
    report(true);
    // Commits while nobody listened sent notifications nobody heard.
    o.onChange();
    const tick = () => {
      probe = setTimeout(() => {
        c.query("SELECT 1").then(() => client === c && tick(), (err: Error) => lost(err));
      }, probeMs);
      probe.unref();
    };
    tick();
  };

  // A pooled connection that failed: the database may be gone; ask now instead of at the next tick.
  const onPoolError = () => {
    const c = client;
    if (c) c.query("SELECT 1").catch(() => c.emit("error", new Error("probe failed after a pool error")));
  };
  pool.on("error", onPoolError);

  await connect();
  return {
    reachable: () => reachable,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(probe);
      pool.off("error", onPoolError);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
