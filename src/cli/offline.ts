// Offline commands work on the database file itself, beside a running server
// or without one, through the same domain services the RPCs use: every change
// is validated, authorized and audited like a call, in the store's normal write
// transaction, so the audit sequence that change streams follow advances.
// The CLI acts as the instance administrator: whoever may open the database
// file may do anything in it anyway.
import { existsSync } from "node:fs";
import { createChangeNotifier } from "../audit/change-notifier.ts";
import { systemClock } from "../kernel/clock.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { createIdGenerator } from "../kernel/ids.ts";
import type { Repos } from "../kernel/store.ts";
import type { UserRecord } from "../kernel/records.ts";
import { dbConnectionFrom } from "../config.ts";
import { isPostgresUrl, redactUrl, type DbConnection } from "../store/db-connection.ts";
import { openStore } from "../store/open-store.ts";
import { isMemory } from "../store/sqlite/open.ts";
import { dbOf, type Io } from "./command.ts";
import { CliError, OptionError, UsageError, type ParsedOptions } from "./options.ts";

export interface Offline {
  deps: Deps;
  db: string;
  /** The instance administrator acting in `orgId` (default: its own organization), for audit as `cli:<command>`. */
  operator(orgId?: string): Promise<CallContext>;
}

/** Runs `fn` on the database the options name, which must exist, and closes it afterwards; `command` ("token create") marks its audit events. */
export async function withDatabase<T>(opts: ParsedOptions, command: string, fn: (o: Offline) => Promise<T>): Promise<T> {
  const db = existingDatabase(opts);
  const store = await openStore(db, { connection: { ...connectionOf(opts), poolSize: 2 } });
  const deps: Deps = { store, clock: systemClock, ids: createIdGenerator(), changes: createChangeNotifier() };
  const offline: Offline = {
    deps,
    db,
    async operator(orgId) {
      const admin = await findInstanceAdmin(store.read);
      if (!admin) throw new CliError(`${redactUrl(db)} has no instance administrator yet: start the server once (membership-server serve) to bootstrap one`);
      if (orgId !== undefined && !(await store.read.orgs.get(orgId))) throw new CliError(`organization ${orgId} not found`);
      return {
        principal: { type: "user", id: admin.id, organizationId: admin.organizationId, isInstanceAdmin: true, tokenId: "" },
        orgId: orgId ?? admin.organizationId,
        requestId: `cli:${command.replaceAll(" ", "-")}`,
      };
    },
  };
  try {
    return await fn(offline);
  } finally {
    await store.end();
  }
}

/** --db-tls and --db-tls-ca for a command, a bad value named as the user set it. */
export function connectionOf(opts: ParsedOptions): DbConnection {
  try {
    return dbConnectionFrom(opts);
  } catch (err) {
    if (err instanceof OptionError) throw new UsageError(`${opts.label(err.option)} ${err.message}`);
    throw err;
  }
}

/** A command's run that acts in the organization of --org, else the administrator's own. */
export function inOrganization(command: string, fn: (o: Offline, ctx: CallContext, opts: ParsedOptions, io: Io) => Promise<number | void>) {
  return (opts: ParsedOptions, io: Io) => withDatabase(opts, command, async (o) => fn(o, await o.operator(opts.get("org")), opts, io));
}

/**
 * The database named by --db, MEMBERSHIP_DB or the config file. A file must
 * exist: a typo must not create an empty one. A PostgreSQL database is
 * checked when connecting (PostgreSQL creates no database on connect).
 */
export function existingDatabase(opts: ParsedOptions): string {
  const { path, label } = dbOf(opts);
  if (isPostgresUrl(path)) return path;
  if (isMemory(path)) throw new UsageError(`${label} must name a database file: an in-memory database lives only inside the server`);
  if (!existsSync(path)) throw new CliError(`no database at ${path} (${label}); membership-server migrate creates one, membership-server serve creates and bootstraps one`);
  return path;
}

/** Backup and restore copy SQLite files; a PostgreSQL database has its own tools, which the message names. */
export function refusePostgres(opts: ParsedOptions, what: string, tool: string): void {
  const { path, label } = dbOf(opts);
  if (isPostgresUrl(path)) throw new UsageError(`${label} names a PostgreSQL database: ${what} it with PostgreSQL's own tools (${tool}), not with membership-server`);
}

/**
 * The instance administrator: only the bootstrap creates one, as the first
 * user of the first organization, so the scan ends on the first page.
 */
export async function findInstanceAdmin(repos: Repos): Promise<UserRecord | null> {
  const [first] = await repos.orgs.list({ after: null, limit: 1 }, null);
  if (!first) return null;
  let after: string | null = null;
  for (;;) {
    const users = await repos.users.list(first.id, { after, limit: 100 }, "");
    const admin = users.find((u) => u.isInstanceAdmin);
    if (admin || users.length < 100) return admin ?? null;
    after = users[users.length - 1]!.id;
  }
}
