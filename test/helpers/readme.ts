// README's code blocks, run as a reader runs them. Every runnable block is
// named in its info string (```sh add-member, ```js list-projects.mjs); a
// name with a file extension is a file the text says to save. Blocks run in
// a scratch folder laid out like a clone, through bash, one session per call
// so variables carry from block to block as in one shell. Only ports differ:
// a README port (8080, 9091, …) becomes the one the test's server has.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cleanEnv } from "./cli-process.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const README = readFileSync(join(ROOT, "README.md"), "utf8");

export interface Block {
  lang: string;
  /** The second word of the info string; "" for an unnamed block. */
  name: string;
  code: string;
}

export function readmeBlocks(): Block[] {
  return [...README.matchAll(/^```(\w*)(?: (\S+))?\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, name: m[2] ?? "", code: m[3]! }));
}

/** The code of the block named `name`. */
export function block(name: string): string {
  const found = readmeBlocks().filter((b) => b.name === name);
  if (found.length !== 1) throw new Error(`README has ${found.length} blocks named ${name}`);
  return found[0]!.code;
}

export type Ports = Record<number, number>;

/** `text` with each README port replaced by the test's. */
export function onPorts(text: string, ports: Ports): string {
  return Object.entries(ports).reduce((t, [from, to]) => t.replace(new RegExp(`\\b${from}\\b`, "g"), String(to)), text);
}

/** A port nobody listens on now, for a README command that names its port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

/**
 * A folder like a clone: the sources and
 * node_modules linked, package.json and bin copied (bin finds the bundle
 * beside its own real path, so `npm start` here builds and runs this copy).
 */
export function scratch(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `${prefix}-`)));
  for (const d of ["src", "gen", "proto", "scripts", "node_modules", "buf.yaml"]) symlinkSync(join(ROOT, d), join(dir, d));
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  cpSync(join(ROOT, "bin"), join(dir, "bin"), { recursive: true });
  return dir;
}

/** Saves README's files (the blocks named like one) in `dir`, on the test's ports. */
function saveFiles(dir: string, ports: Ports = {}): void {
  for (const b of readmeBlocks()) if (b.name.includes(".")) writeFileSync(join(dir, b.name), onPorts(b.code, ports));
}

export const removeScratch = (dir: string) => rmSync(dir, { recursive: true, force: true });

export interface RunOptions {
  cwd: string;
  ports?: Ports;
  env?: Record<string, string>;
}

/** The environment of README's commands: no MEMBERSHIP_* of the test run's own, this checkout's tools first on PATH. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // /usr/bin before the rest: Debian's python3 is the one python3-grpcio installs for (a pyenv shim may come first).
  return cleanEnv({ PATH: `${join(ROOT, "node_modules", ".bin")}:/usr/bin:${process.env.PATH}`, ...extra });
}

export interface BlockResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the named blocks one after another in one bash (-e, -u, pipefail), as
 * pasted into one shell. A name prefixed with "!" is a block expected to
 * fail: its status is recorded instead of ending the session. Resolves
 * with each block's output; rejects naming the block that failed.
 */
export async function session(names: string[], opts: RunOptions): Promise<Record<string, BlockResult>> {
  const out = mkdtempSync(join(tmpdir(), "readme-session-"));
  saveFiles(opts.cwd, opts.ports);
  try {
    const steps = names.map((n, i) => {
      const code = onPorts(block(n.replace(/^!/, "")), opts.ports ?? {});
      const files = `> ${out}/${i}.out 2> ${out}/${i}.err`;
      return n.startsWith("!") ? `{\n${code}\n} ${files} && echo 0 > ${out}/${i}.st || echo $? > ${out}/${i}.st` : `{\n${code}\n} ${files}\necho 0 > ${out}/${i}.st`;
    });
    const child = spawn("bash", ["-euo", "pipefail", "-c", steps.join("\n")], { cwd: opts.cwd, env: environment(opts.env), stdio: "ignore" });
    await new Promise((ok) => child.once("close", ok));
    const results: Record<string, BlockResult> = {};
    for (const [i, n] of names.entries()) {
      const read = (ext: string) => readFileSync(join(out, `${i}.${ext}`), "utf8");
      let status: number;
      try {
        status = Number(read("st"));
      } catch {
        throw new Error(`README block ${n} failed: ${read("err")}${read("out")}`);
      }
      results[n.replace(/^!/, "")] = { status, stdout: read("out"), stderr: read("err") };
    }
    return results;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The stdout of the last of `names`, run in one session. */
export async function lastOutput(names: string[], opts: RunOptions): Promise<string> {
  const results = await session(names, opts);
  return results[names.at(-1)!.replace(/^!/, "")]!.stdout;
}

export interface Background {
  child: ChildProcess;
  /** The address the server printed. */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a README block that runs a server, in its own process group, and waits for its "listening on" line. */
export const startBlock = (name: string, opts: RunOptions) => startCommand(block(name), name, opts);

export async function startCommand(command: string, name: string, opts: RunOptions): Promise<Background> {
  saveFiles(opts.cwd, opts.ports);
  const child = spawn("bash", ["-c", onPorts(command, opts.ports ?? {})], { cwd: opts.cwd, env: environment(opts.env), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  const closed = new Promise<void>((ok) => child.once("close", () => ok()));
  const url = await new Promise<string>((ok, fail) => {
    void closed.then(() => fail(new Error(`README block ${name} exited before listening: ${output}`)));
    child.stdout!.on("data", () => {
      const m = /listening on (https?:\/\/[^\s"]+)/.exec(output);
      if (m) ok(m[1]!);
    });
  });
  return {
    child,
    url,
    output: () => output,
    // The group: npm's `sh -c node …` child outlives a signal sent to npm alone.
    async stop() {
      process.kill(-child.pid!, "SIGTERM");
      await closed;
      while (groupAlive(child.pid!)) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The tools a test needs from outside npm that are missing here, by name.
 * Their tests are skipped where tools are missing, unless
 * REQUIRE_TEST_TOOLS=1 (.ci/run, which installs them): then they fail.
 */
export function missingTools(checks: Record<string, string>): { missing: string[]; skip: boolean } {
  const missing = Object.entries(checks)
    .filter(([, check]) => spawnSync("bash", ["-c", check], { env: environment(), stdio: "ignore" }).status !== 0)
    .map(([tool]) => tool);
  const skip = missing.length > 0 && process.env.REQUIRE_TEST_TOOLS !== "1";
  if (skip) console.warn(`skipped: missing ${missing.join(", ")}; scripts/install-test-tools.sh installs them`);
  return { missing, skip };
}
