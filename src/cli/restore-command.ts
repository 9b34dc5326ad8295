// `restore <file>`: put a backup in place of the database. Refused while any
// process has the database open (database-in-use.ts), so a running server
// never has its file replaced under it, and refused over an existing database
// without --force.
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { stageRestore } from "../store/sqlite/backup.ts";
import { databaseInUse } from "../store/sqlite/database-in-use.ts";
import { isMemory } from "../store/sqlite/open.ts";
import { FORCE_HELP } from "./backup-command.ts";
import { CONFIG, DB_OPTION, JSON_OPTION, dbOf, type Command } from "./command.ts";
import { refusePostgres } from "./offline.ts";
import { CliError, UsageError } from "./options.ts";

export const restoreCommand: Command = {
  name: "restore",
  args: "<file>",
  positionals: { min: 1, max: 1 },
  summary: "replace the database with a backup; refused while a server has it open",
  details:
    "Stop the server first: while any process has the database open, restore refuses (every SQLite\n" +
    "connection holds a lock on the file; restore asks for an exclusive one, which the kernel grants only\n" +
    "when no other process has the file open, and which a crashed server cannot leave behind).\n" +
    "The backup is copied and checked beside the database, brought to this version's schema, and renamed\n" +
    "into place; the old database's -wal and -shm files go with it. Its token file is left as it is.",
  options: { force: { ...FORCE_HELP, help: "replace an existing database" }, db: DB_OPTION, config: CONFIG, json: JSON_OPTION },
  async run(opts, io) {
    refusePostgres(opts, "restore", "pg_restore");
    const { path, label } = dbOf(opts);
    if (isMemory(path)) throw new UsageError(`${label} must name a database file to restore into`);
    const backup = resolve(opts.positionals[0]!);
    if (!existsSync(backup)) throw new CliError(`no backup at ${backup}`);
    const target = resolve(path);
    if (backup === target) throw new UsageError(`the backup ${backup} is the database itself`);
    const replacing = existsSync(target);
    if (replacing && databaseInUse(target)) throw new CliError(`${target} is open in another process, such as a running server; stop it, then restore`);
    if (replacing && !opts.has("force")) throw new CliError(`${target} exists; add --force to replace it with ${backup}`);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    const staging = `${target}.restore-${process.pid}`;
    try {
      const version = await stageRestore(backup, staging);
      // Checked again just before the rename: a server may have started while the copy was made.
      if (replacing && databaseInUse(target)) throw new CliError(`${target} was opened by another process during the restore; stop it, then restore`);
      for (const f of [`${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
      renameSync(staging, target);
      if (opts.has("json")) io.stdout.write(JSON.stringify({ db: target, backup, schemaVersion: version }) + "\n");
      else io.stdout.write(`restored ${target} from ${backup} (schema version ${version})\n`);
    } catch (err) {
      for (const f of [staging, `${staging}-wal`, `${staging}-shm`]) rmSync(f, { force: true });
      throw err;
    }
  },
};
