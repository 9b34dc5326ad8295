// `migrate`: create the database if it does not exist (a SQLite file), bring
// its schema up to date and exit, for deployments that migrate before they
// start the server. A PostgreSQL database must exist; it is migrated under
// the same advisory lock the servers take, so it may run beside them.
import { isPostgresUrl, redactUrl } from "../store/db-connection.ts";
import { isMemory, openDatabase } from "../store/sqlite/open.ts";
import { migrate } from "../store/sqlite/migrations.ts";
import { CONFIG, DB_OPTION, DB_TLS_OPTIONS, JSON_OPTION, dbOf, type Command, type Io } from "./command.ts";
import { connectionOf } from "./offline.ts";
import { UsageError, type ParsedOptions } from "./options.ts";

function report(opts: ParsedOptions, io: Io, db: string, from: number, to: number): void {
  if (opts.has("json")) io.stdout.write(JSON.stringify({ db, from, to }) + "\n");
  else io.stdout.write(from === to ? `${db}: schema version ${to}, up to date\n` : `${db}: schema version ${from} → ${to}\n`);
}

export const migrateCommand: Command = {
  name: "migrate",
  summary: "create the database if needed, apply its schema migrations and exit",
  details: "The server migrates on start as well; a database written by a newer server is refused.",
  options: { db: DB_OPTION, ...DB_TLS_OPTIONS, config: CONFIG, json: JSON_OPTION },
  async run(opts, io) {
    const { path, label } = dbOf(opts);
    if (isMemory(path)) throw new UsageError(`${label} must name a database file to migrate`);
    if (isPostgresUrl(path)) {
      const { migratePostgresDatabase } = await import("../store/postgres/migrate-database.ts");
      const { from, to } = await migratePostgresDatabase(path, connectionOf(opts));
      return report(opts, io, redactUrl(path), from, to);
    }
    const db = openDatabase(path);
    try {
      const version = () => db.pragma("user_version", { simple: true }) as number;
      const from = version();
      migrate(db);
      report(opts, io, path, from, version());
    } finally {
      db.close();
    }
  },
};
