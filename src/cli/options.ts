// Command-line options: flags (node:util parseArgs), then MEMBERSHIP_*
// environment variables, then a JSON config file (--config or
// MEMBERSHIP_CONFIG), in that order. Every value remembers where it came
// from, so a bad one is reported as the user wrote it: `--port`,
// `MEMBERSHIP_PORT` or `port in ./membership.json`.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

export interface OptionSpec {
  type: "string" | "boolean";
  /** Settings have a variable and may come from the config file; plain flags (--json, --force) only from the command line. */
  env?: string;
  short?: string;
  /** May be given more than once (--role a --role b). */
  multiple?: boolean;
}
export type OptionSpecs = Record<string, OptionSpec>;

/** What the user typed or set is wrong: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The request was understood but cannot be done (a file in the way, a live server, an unknown id): exit code 1. */
export class CliError extends Error {
  override name = "CliError";
}

/** A value check that knows the option but not where its value came from; the caller names the source. */
export class OptionError extends Error {
  override name = "OptionError";
  readonly option: string;
  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

export const CONFIG_OPTION = { type: "string", env: "MEMBERSHIP_CONFIG" } as const satisfies OptionSpec;

export interface ParsedOptions {
  readonly positionals: string[];
  /** The value of a setting or string flag: flag, then variable, then config file; undefined when none sets it. */
  get(name: string): string | undefined;
  /** Every value of a flag given more than once. */
  all(name: string): string[];
  /** Whether a boolean flag is set. */
  has(name: string): boolean;
  /** How the user set an option: `--port`, `MEMBERSHIP_PORT` or `port in <file>`; `--port` when nothing set it. */
  label(name: string): string;
}

interface Context {
  /** "membership-server backup", for hints. */
  command: string;
  /** Every setting any command knows: the config file may hold any of them. */
  settings: OptionSpecs;
}

export function parseOptions(argv: string[], specs: OptionSpecs, env: NodeJS.ProcessEnv, ctx: Context): ParsedOptions {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, { type: s.type, multiple: s.multiple ?? false, ...(s.short ? { short: s.short } : {}) }])),
    // Checked below, token by token, to say more than parseArgs would.
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind !== "option") continue;
    const spec = specs[t.name];
    if (!spec) throw new UsageError(`unknown option ${t.rawName}${suggestion(t.name, Object.keys(specs), "--")}; see ${ctx.command} --help`);
    if (spec.type === "boolean" && t.inlineValue) throw new UsageError(`${t.rawName} takes no value`);
    if (spec.type === "string" && (t.value === undefined || (!t.inlineValue && t.value.startsWith("-") && t.value.length > 1))) {
      throw new UsageError(`${t.rawName} needs a value${t.value ? ` (${t.value} is an option; write ${t.rawName}=${t.value} if it is the value)` : ""}`);
    }
  }
  const flags = values as Record<string, string | boolean | string[] | undefined>;
  const fromEnv = (k: string) => {
    const name = specs[k]?.env;
    const v = name ? env[name] : undefined;
    // An empty variable counts as unset, as most shells and compose files mean it.
    return v === undefined || v === "" ? undefined : { value: v, label: name! };
  };
  // The config file itself is named by a flag or a variable, never by a config file.
  const configFile = typeof flags.config === "string" ? { value: flags.config, label: "--config" } : fromEnv("config");
  const file = configFile ? readConfigFile(configFile.value, configFile.label, ctx) : {};
  const resolve = (k: string): { value: string; label: string } | undefined => {
    const flag = flags[k];
    if (typeof flag === "string") return { value: flag, label: `--${k}` };
    if (Array.isArray(flag)) return { value: flag[flag.length - 1]!, label: `--${k}` };
    if (!specs[k]?.env) return undefined;
    return fromEnv(k) ?? (k in file ? { value: file[k]!, label: `${k} in ${configFile!.value}` } : undefined);
  };
  return {
    positionals,
    get: (k) => resolve(k)?.value,
    all: (k) => {
      const v = flags[k];
      return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
    },
    has: (k) => flags[k] === true,
    label: (k) => resolve(k)?.label ?? `--${k}`,
  };
}

/** The config file: a JSON object whose keys are option names; numbers and booleans stand for their text, lists for a comma-separated one. */
function readConfigFile(path: string, label: string, ctx: Context): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read the config file ${path} (${label}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the config file ${path} (${label}) is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`the config file ${path} (${label}) must hold a JSON object of option names and values`);
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(parsed)) {
    if (!ctx.settings[key] || key === "config") {
      throw new UsageError(`unknown option "${key}" in ${path}${suggestion(key, Object.keys(ctx.settings), "")}`);
    }
    if (typeof v === "string") out[key] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[key] = String(v);
    else if (Array.isArray(v) && v.every((x) => typeof x === "string")) out[key] = v.join(",");
    else throw new UsageError(`${key} in ${path} must be a string, a number, true or false`);
  }
  return out;
}

/** " (did you mean --db?)" when one known name is close to what was typed, else "". */
export function suggestion(typed: string, known: string[], prefix: string): string {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(typed.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(typed, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best === null ? "" : ` (did you mean ${prefix}${best}?)`;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
