// Runs `membership-server <args>` as its own process, from the sources
// (src/main.ts, as server-process.ts does), and collects what it printed.
import { spawn } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The caller's environment without MEMBERSHIP_* variables, so only what a test sets reaches the CLI. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MEMBERSHIP_"))), ...extra };
}

export function cli(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", resolve(ROOT, "src/main.ts"), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: cleanEnv(opts.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  return new Promise((ok, fail) => {
    child.once("error", fail);
    child.once("close", (code) => ok({ code, stdout, stderr }));
  });
}

/** The JSON document a `--json` command printed, once it exited 0. */
export async function cliJson<T = any>(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<T> {
  const r = await cli([...args, "--json"], opts);
  if (r.code !== 0) throw new Error(`membership-server ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** The schema version this code migrates to, so tests need no update when a migration is added. */
export async function latestSchemaVersion(): Promise<number> {
  const { default: Database } = await import("better-sqlite3");
  const { migrate } = await import("../../src/store/sqlite/migrations.ts");
  const db = new Database(":memory:");
  try {
    migrate(db);
    return db.pragma("user_version", { simple: true }) as number;
  } finally {
    db.close();
  }
}
