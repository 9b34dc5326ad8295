// The `membership-server` command line: finds the command the arguments name,
// parses its options and runs it. Exit codes: 0 done, 1 failed, 2 usage
// (an unknown command or option, a bad value), with one line on stderr.
import { OPTIONS } from "../config.ts";
import { DomainError } from "../kernel/errors.ts";
import { BackupError } from "../store/sqlite/backup.ts";
import { StoreOpenError } from "../store/db-connection.ts";
import { describeStoreFault } from "../store/sqlite/disk-errors.ts";
import { VERSION } from "../version.ts";
import { adminTokenCommand } from "./admin-token-command.ts";
import { backupCommand } from "./backup-command.ts";
import { HELP_OPTION, JSON_OPTION, PROGRAM, commandHelp, groupHelp, table, type Command, type Io } from "./command.ts";
import { memberCommands } from "./member-commands.ts";
import { migrateCommand } from "./migrate-command.ts";
import { CliError, UsageError, parseOptions, suggestion } from "./options.ts";
import { orgCommands } from "./org-commands.ts";
import { lifecycleCommands } from "./lifecycle-commands.ts";
import { principalCommands } from "./principal-commands.ts";
import { projectCommands } from "./project-commands.ts";
import { restoreCommand } from "./restore-command.ts";
import { serveCommand } from "./serve-command.ts";
import { tokenCommands } from "./token-commands.ts";

const versionCommand: Command = {
  name: "version",
  summary: "print the version",
  options: { json: JSON_OPTION },
  async run(opts, io) {
    io.stdout.write(opts.has("json") ? JSON.stringify({ name: PROGRAM, version: VERSION, node: process.version }) + "\n" : `${PROGRAM} ${VERSION}\n`);
  },
};

const COMMANDS: Command[] = [
  serveCommand,
  migrateCommand,
  adminTokenCommand,
  ...tokenCommands,
  ...orgCommands,
  ...projectCommands,
  ...principalCommands,
  ...lifecycleCommands,
  ...memberCommands,
  backupCommand,
  restoreCommand,
  versionCommand,
];

const GROUPS: Record<string, string> = {
  token: "bearer tokens of users and identities",
  org: "organizations",
  project: "projects of an organization",
  user: "users of an organization",
  identity: "machine identities of an organization",
  member: "members of a project",
};

export async function runCli(argv: string[], io: Io): Promise<number | void> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    io.stderr.write(`${PROGRAM}: ${messageOf(err)}\n`);
    return err instanceof UsageError || (err instanceof DomainError && err.kind === "invalid_argument") ? 2 : 1;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number | void> {
  const [first, second] = argv;
  if (first === "-h" || first === "--help") return print(io, topHelp());
  if (first === "-v" || first === "--version") return runCommand(versionCommand, argv.slice(1), io);
  // No command, or options only: serve, as `node dist/membership-server.mjs --port 0` always has.
  if (first === undefined || first.startsWith("-")) return runCommand(serveCommand, argv, io);
  if (first === "help") return help(argv.slice(1), io);
  const command = COMMANDS.find((c) => c.name === first);
  if (command) return runCommand(command, argv.slice(1), io);
  const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  if (group.length === 0) throw new UsageError(`unknown command "${first}"${suggestion(first, topNames(), "")}; see ${PROGRAM} --help`);
  if (second === "-h" || second === "--help") return print(io, groupHelp(first, group));
  if (second === undefined) {
    io.stderr.write(`${PROGRAM}: ${first} needs a command\n${groupHelp(first, group)}`);
    return 2;
  }
  const sub = group.find((c) => c.name === `${first} ${second}`);
  if (!sub) {
    const names = group.map((c) => c.name.split(" ")[1]!);
    throw new UsageError(`unknown command "${first} ${second}"${suggestion(second, names, `${first} `)}; see ${PROGRAM} ${first} --help`);
  }
  return runCommand(sub, argv.slice(2), io);
}

async function runCommand(c: Command, args: string[], io: Io): Promise<number | void> {
  // Help wins over everything else on the line, even a broken config file.
  const end = args.indexOf("--");
  if ((end === -1 ? args : args.slice(0, end)).some((a) => a === "-h" || a === "--help")) return print(io, commandHelp(c));
  const opts = parseOptions(args, { ...c.options, help: HELP_OPTION }, io.env, { command: `${PROGRAM} ${c.name}`, settings: OPTIONS });
  const { min, max } = c.positionals ?? { min: 0, max: 0 };
  if (opts.positionals.length < min) throw new UsageError(`${c.name} needs ${c.args}; see ${PROGRAM} ${c.name} --help`);
  if (opts.positionals.length > max) throw new UsageError(`unexpected argument "${opts.positionals[max]}"; see ${PROGRAM} ${c.name} --help`);
  return c.run(opts, io);
}

function help(words: string[], io: Io): number {
  if (words.length === 0) return print(io, topHelp());
  const name = words.join(" ");
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return print(io, commandHelp(command));
  const group = COMMANDS.filter((c) => c.name.startsWith(`${name} `));
  if (group.length > 0) return print(io, groupHelp(name, group));
  throw new UsageError(`unknown command "${name}"${suggestion(name, topNames(), "")}; see ${PROGRAM} --help`);
}

const topNames = () => [...new Set(COMMANDS.map((c) => c.name.split(" ")[0]!)), "help"];

function topHelp(): string {
  const rows: string[][] = [];
  for (const name of topNames()) {
    if (name === "help") rows.push(["help [command]", "show a command's help"]);
    else if (GROUPS[name]) rows.push([`${name} ${COMMANDS.filter((c) => c.name.startsWith(`${name} `)).map((c) => c.name.split(" ")[1]).join("|")}`, GROUPS[name]]);
    else {
      const c = COMMANDS.find((x) => x.name === name)!;
      rows.push([`${c.name}${c.args ? ` ${c.args}` : ""}`, c.summary]);
    }
  }
  return (
    `${PROGRAM} ${VERSION}: organizations, projects, users, machine identities and their roles,\n` +
    `served over gRPC, gRPC-web and Connect on one port.\n\n` +
    `Usage: ${PROGRAM} [command] [options]\n\nCommands:\n${table(rows, "  ")}\n` +
    `The commands other than serve work on the database file (--db), beside a running server or\n` +
    `without one, as the instance administrator; their changes are audited like API calls.\n` +
    `Options come from flags, then MEMBERSHIP_* environment variables, then a JSON config file\n` +
    `(--config <file> or MEMBERSHIP_CONFIG). Run '${PROGRAM} <command> --help' for a command's options.\n`
  );
}

function print(io: Io, text: string): number {
  io.stdout.write(text);
  return 0;
}

/** Domain errors name request fields (user_id); the CLI user typed flags (--user). */
const FLAGS: Record<string, string> = {
  user_id: "--user",
  identity_id: "--identity",
  project_id: "--project",
  organization_id: "--org",
  first_name: "--first-name",
  last_name: "--last-name",
  expire_time: "--expires",
  roles: "--role",
  role: "--role",
};

function messageOf(err: unknown): string {
  if (err instanceof UsageError || err instanceof CliError || err instanceof BackupError || err instanceof StoreOpenError) return err.message;
  if (err instanceof DomainError) {
    const flag = err.field === undefined ? undefined : (FLAGS[err.field] ?? `--${err.field.replaceAll("_", "-")}`);
    return flag && err.message.startsWith(`${err.field}:`) ? flag + err.message.slice(err.field!.length) : err.message;
  }
  const storeFault = describeStoreFault(err);
  if (storeFault !== undefined) return storeFault;
  // Not expected: the whole story, for a bug report.
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
