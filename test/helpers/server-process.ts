// The real server as its own process (src/main.ts), for what only a process
// shows: signals, exit codes, a crash and the restart after it.
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

export interface ServerProcess {
  child: ChildProcess;
  /** The base URL the process printed once listening. */
  url: string;
  /** Everything the process wrote to stdout so far: its log, one JSON object per line. */
  stdout(): string;
  /** Everything the process wrote to stderr so far (nothing, unless it fails before its log exists). */
  stderr(): string;
  /** Resolves with the exit code, or null when a signal ended the process. */
  exited: Promise<number | null>;
}

const spawnServer = (args: string[]) =>
  spawn(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "src/main.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });

/** Starts `node src/main.ts` with `args` and waits for its "listening on" line. */
export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child = spawnServer(args);
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((ok) => child.once("exit", (code) => ok(code)));
  const url = await new Promise<string>((ok, fail) => {
    void exited.then((code) => fail(new Error(`server exited ${code} before listening: ${stderr}${stdout}`)));
    child.stdout!.on("data", (b: Buffer) => {
      stdout += b.toString();
      const m = /listening on (http:\/\/[^\s"]+)/.exec(stdout);
      if (m) ok(m[1]!);
    });
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs `node src/main.ts` with `args` to its exit, for starts that must be refused; gives up after `timeoutMs`. */
export async function runServerProcessToExit(args: string[], timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnServer(args);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((ok) => child.once("exit", (c) => ok(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
