// The shape of a CLI command, the options several commands share, and the
// help text rendered from them, so a command's help cannot drift from what it
// parses.
import { DEFAULT_DB, OPTIONS } from "../config.ts";
import { CONFIG_OPTION, type OptionSpec, type ParsedOptions } from "./options.ts";

export interface CommandOption extends OptionSpec {
  /** The value's placeholder in help: "<file>". */
  value?: string;
  help: string;
}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** "backup", or "token create" for a command of a group. */
  name: string;
  summary: string;
  /** What the usage line shows after the name and before the options: "<file>". */
  args?: string;
  /** How many positional arguments it takes (none when absent). */
  positionals?: { min: number; max: number };
  /** Paragraphs shown after the usage line. */
  details?: string;
  options: Record<string, CommandOption>;
  /** Resolves with the exit code; `serve` resolves once listening and the process keeps running. */
  run(opts: ParsedOptions, io: Io): Promise<number | void>;
}

export const PROGRAM = "membership-server";

export const HELP_OPTION: CommandOption = { type: "boolean", short: "h", help: "show this help" };
export const JSON_OPTION: CommandOption = { type: "boolean", help: "print one JSON document for scripts instead of a table" };
export const DB_OPTION: CommandOption = { ...OPTIONS.db, value: "<file|url>", help: `the SQLite database, or a postgres:// URL (${DEFAULT_DB})` };
/** How a command reaches a PostgreSQL database: TLS, as the server does (config.ts). */
export const DB_TLS_OPTIONS: Record<string, CommandOption> = {
  "db-tls": { ...OPTIONS["db-tls"], value: "off|on|verify", help: "PostgreSQL: TLS to the database (off)" },
  "db-tls-ca": { ...OPTIONS["db-tls-ca"], value: "<file>", help: "PostgreSQL: PEM CA for --db-tls verify" },
};
export const CONFIG: CommandOption = { ...CONFIG_OPTION, value: "<file>", help: "a JSON file of option names and values, below flags and variables" };
export const ORG_OPTION: CommandOption = { type: "string", value: "<id>", help: "the organization (the instance administrator's own)" };

/** The database path and how it was given, for commands that work on the file. */
export function dbOf(opts: ParsedOptions): { path: string; label: string } {
  return { path: opts.get("db") ?? DEFAULT_DB, label: opts.label("db") };
}

export function commandHelp(c: Command): string {
  const options = { ...c.options, help: HELP_OPTION };
  const rows = Object.entries(options).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`,
    o.env ?? "",
    o.help + (o.multiple ? " (repeatable)" : ""),
  ]);
  const usage = `Usage: ${PROGRAM} ${c.name}${c.args ? ` ${c.args}` : ""} [options]`;
  const env = rows.some((r) => r[1] !== "")
    ? "\nA value comes from its flag, else its environment variable, else the config file (--config).\n"
    : "";
  const summary = c.summary[0]!.toUpperCase() + c.summary.slice(1);
  return `${usage}\n\n${summary}.\n${c.details ? `\n${c.details}\n` : ""}\nOptions:\n${table(rows, "  ")}${env}`;
}

export function groupHelp(group: string, commands: Command[]): string {
  const rows = commands.map((c) => [`${c.name}${c.args ? ` ${c.args}` : ""}`, c.summary]);
  return `Usage: ${PROGRAM} ${group} <command> [options]\n\nCommands:\n${table(rows, "  ")}\nRun '${PROGRAM} ${group} <command> --help' for a command's options.\n`;
}

/** Left-aligned columns, two spaces apart; empty trailing columns leave no padding. */
export function table(rows: string[][], indent = ""): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  return rows.map((r) => indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd() + "\n").join("");
}
