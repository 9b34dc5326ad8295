// `backup <file>`: a consistent copy of the database through SQLite's online
// backup API (better-sqlite3's db.backup), safe while the server runs and
// writes. Copying the .db file instead would lose the commits that still sit
// in its WAL, and could catch a page half written.
import type { SingleBar } from "cli-progress";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { checkBackup, copyDatabase } from "../store/sqlite/backup.ts";
import { CONFIG, DB_OPTION, JSON_OPTION, type Command, type Io } from "./command.ts";
import { existingDatabase, refusePostgres } from "./offline.ts";
import { CliError, UsageError } from "./options.ts";

export const FORCE_HELP = { type: "boolean", help: "replace <file> if it exists" } as const;

export const backupCommand: Command = {
  name: "backup",
  args: "<file>",
  positionals: { min: 1, max: 1 },
  summary: "copy the database to <file>, consistently, also while the server runs",
  details:
    "The copy is one snapshot of every committed write, WAL included, made page by page through\n" +
    "SQLite's online backup API; the server keeps serving and writing meanwhile. It is written beside\n" +
    "<file> and renamed into place when complete and checked, so <file> is never half a backup.\n" +
    "The file holds emails and token hashes: it is created readable by its owner only (0600).",
  options: { force: FORCE_HELP, db: DB_OPTION, config: CONFIG, json: JSON_OPTION },
  async run(opts, io) {
    refusePostgres(opts, "back up", "pg_dump --format=custom");
    const source = existingDatabase(opts);
    const target = resolve(opts.positionals[0]!);
    if (target === resolve(source)) throw new UsageError(`the backup file ${target} is the database itself`);
    if (existsSync(target) && !opts.has("force")) throw new CliError(`${target} exists; add --force to replace it`);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    const partial = `${target}.partial-${process.pid}`;
    const bar = await progressBar(io);
    const umask = process.umask(0o077);
    try {
      await copyDatabase(source, partial, (done, total) => {
        bar?.setTotal(total);
        bar?.update(done);
      });
      // The callback runs between steps, not after the last one.
      bar?.update(bar.getTotal());
      bar?.stop();
      const summary = { db: source, file: target, ...checkBackup(partial) };
      renameSync(partial, target);
      if (opts.has("json")) io.stdout.write(JSON.stringify(summary) + "\n");
      else io.stdout.write(`backed up ${source} to ${target}: ${summary.pages} pages (${(summary.bytes / 1048576).toFixed(1)} MiB), audit sequence ${summary.sequence}\n`);
    } catch (err) {
      bar?.stop();
      rmSync(partial, { force: true });
      throw err;
    } finally {
      process.umask(umask);
    }
  },
};

/** A bar on a terminal only: piped or logged, stderr gets no control characters. */
async function progressBar(io: Io): Promise<SingleBar | null> {
  if (!(io.stderr as NodeJS.WriteStream).isTTY) return null;
  const { default: progress } = await import("cli-progress");
  const bar = new progress.SingleBar({ stream: io.stderr, format: "backup [{bar}] {percentage}% | {value}/{total} pages", hideCursor: true }, progress.Presets.shades_classic);
  bar.start(1, 0);
  return bar;
}
