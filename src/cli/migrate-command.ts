// `migrate`: create the database if it does not exist, bring its schema up to
// date and exit, for deployments that migrate before they start the server.
import { isMemory, openDatabase } from "../store/sqlite/open.ts";
import { migrate } from "../store/sqlite/migrations.ts";
import { CONFIG, DB_OPTION, JSON_OPTION, dbOf, type Command } from "./command.ts";
import { UsageError } from "./options.ts";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "create the database if needed, apply its schema migrations and exit",
  details: "The server migrates on start as well; a database written by a newer server is refused.",
  options: { db: DB_OPTION, config: CONFIG, json: JSON_OPTION },
  async run(opts, io) {
    const { path, label } = dbOf(opts);
    if (isMemory(path)) throw new UsageError(`${label} must name a database file to migrate`);
    const db = openDatabase(path);
    try {
      const version = () => db.pragma("user_version", { simple: true }) as number;
      const from = version();
      migrate(db);
      const to = version();
      if (opts.has("json")) io.stdout.write(JSON.stringify({ db: path, from, to }) + "\n");
      else io.stdout.write(from === to ? `${path}: schema version ${to}, up to date\n` : `${path}: schema version ${from} → ${to}\n`);
    } finally {
      db.close();
    }
  },
};
