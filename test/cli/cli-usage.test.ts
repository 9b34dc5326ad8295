// The command line as a user meets it: help on every level, one-line usage
// errors with a hint (exit 2), options from flags over environment variables
// over a config file, bad values reported under the name the user set, and a
// busy port said in one line (exit 1). Each case runs the CLI as its own process.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.ts";
import { SERVE_HELP } from "../../src/cli/serve-help.ts";
import { OPTIONS } from "../../src/config.ts";
import { cli, latestSchemaVersion } from "../helpers/cli-process.ts";

const dir = mkdtempSync(join(tmpdir(), "cli-usage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (s: string) => s.trimEnd().split("\n");

/** runCli in this process, for what needs no process of its own: the help text of every command. */
async function inProcess(args: string[]) {
  let stdout = "";
  let stderr = "";
  const sink = (add: (s: string) => void) => ({ write: (s: string) => (add(s), true) }) as unknown as NodeJS.WritableStream;
  const code = await runCli(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env: {} });
  return { code, stdout, stderr };
}

const COMMANDS = [
  "serve", "migrate", "admin-token", "token create", "token list", "token revoke", "org create", "org list",
  "project create", "project list", "user create", "user list", "identity create", "identity list",
  "member add", "member list", "backup", "restore", "version",
  "org update", "org delete", "project update", "project delete", "user update", "user delete", "identity update", "identity delete",
];

describe("--help", () => {
  it("answers at the top, for a group and for a command, as -h, --help and help <command>", async () => {
    const [short, word, group, sub] = await Promise.all([cli(["-h"]), cli(["help", "token", "create"]), cli(["token", "--help"]), cli(["serve", "--help"])]);
    const [long, command] = await Promise.all([inProcess(["--help"]), inProcess(["backup", "-h"])]);
    for (const r of [long, short, word, group, command, sub]) expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(short.stdout).toBe(long.stdout);
    expect(long.stdout).toContain("Usage: membership-server [command] [options]");
    for (const name of ["serve", "migrate", "admin-token", "token create|list|revoke", "org create|list|update|delete", "member add|list", "backup <file>", "restore <file>", "version"]) {
      expect(long.stdout).toContain(`\n  ${name} `);
    }
    expect(lines(word.stdout)[0]).toBe("Usage: membership-server token create [options]");
    expect(lines(group.stdout)[0]).toBe("Usage: membership-server token <command> [options]");
    expect(lines(command.stdout)[0]).toBe("Usage: membership-server backup <file> [options]");
    expect(command.stdout).toContain("--force");
    expect(sub.stdout).toMatch(/--port <port> +MEMBERSHIP_PORT +port to listen on/);
  });

  it("lists every option of every command, and describes every serve option", async () => {
    expect(Object.keys(OPTIONS).filter((k) => !SERVE_HELP[k])).toEqual([]);
    for (const name of COMMANDS) {
      const r = await inProcess([...name.split(" "), "--help"]);
      expect([name, r.code, r.stderr]).toEqual([name, 0, ""]);
      expect(lines(r.stdout)[0]).toMatch(new RegExp(`^Usage: membership-server ${name}( |$)`));
      // Every option line says what it does: no empty descriptions.
      const options = r.stdout.split("Options:\n")[1]!.split("\n\n")[0]!.split("\n").filter((l) => l.trim().startsWith("-"));
      expect(options.length).toBeGreaterThan(0);
      for (const l of options) expect(l.trim().split(/ {2,}/).length, `${name}: ${l}`).toBeGreaterThanOrEqual(2);
    }
    expect((await inProcess(["serve", "--help"])).stdout.match(/^ {6}--/gm)!.length).toBe(Object.keys(OPTIONS).length + 1);
  });
});

describe("usage errors", () => {
  it("exit 2 with one line that names the mistake and a way on", async () => {
    const [command, flag, missing] = await Promise.all([cli(["tokn"]), cli(["backup", "copy.db", "--forse"]), cli(["backup"])]);
    const [sub, extra] = await Promise.all([inProcess(["token", "creat"]), inProcess(["version", "now"])]);
    for (const r of [command, sub, flag, missing, extra]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(lines(r.stderr)).toHaveLength(1);
    }
    expect(command.stderr).toBe('membership-server: unknown command "tokn" (did you mean token?); see membership-server --help\n');
    expect(sub.stderr).toContain('unknown command "token creat" (did you mean token create?)');
    expect(flag.stderr).toBe("membership-server: unknown option --forse (did you mean --force?); see membership-server backup --help\n");
    expect(missing.stderr).toContain("backup needs <file>");
    expect(extra.stderr).toContain('unexpected argument "now"');
  });
});

describe("options", () => {
  it("come from the flag, else the environment variable, else the config file", async () => {
    const file = join(dir, "precedence.json");
    writeFileSync(file, JSON.stringify({ db: join(dir, "from-file.db") }));
    const [fromFile, fromEnv, fromFlag] = await Promise.all([
      cli(["migrate", "--json", "--config", file]),
      cli(["migrate", "--json"], { env: { MEMBERSHIP_CONFIG: file, MEMBERSHIP_DB: join(dir, "from-env.db") } }),
      cli(["migrate", "--json", "--db", join(dir, "from-flag.db")], { env: { MEMBERSHIP_CONFIG: file, MEMBERSHIP_DB: join(dir, "from-env.db") } }),
    ]);
    expect([fromFile, fromEnv, fromFlag].map((r) => [r.code, r.stderr])).toEqual([[0, ""], [0, ""], [0, ""]]);
    const to = await latestSchemaVersion();
    expect([fromFile, fromEnv, fromFlag].map((r) => JSON.parse(r.stdout))).toEqual([
      { db: join(dir, "from-file.db"), from: 0, to },
      { db: join(dir, "from-env.db"), from: 0, to },
      { db: join(dir, "from-flag.db"), from: 0, to },
    ]);
  });

  it("that are bad exit 2 with one line naming the flag, the variable or the config file entry the user set", async () => {
    const file = join(dir, "bad-port.json");
    writeFileSync(file, JSON.stringify({ port: "8o8o" }));
    const unknownKey = join(dir, "unknown-key.json");
    writeFileSync(unknownKey, JSON.stringify({ prot: 8080 }));
    const [flag, env, config, key, flagWins] = await Promise.all([
      cli(["serve", "--port", "70000"], { env: { MEMBERSHIP_PORT: "8080" } }),
      cli(["serve"], { env: { MEMBERSHIP_PORT: "abc" } }),
      cli(["serve"], { env: { MEMBERSHIP_CONFIG: file } }),
      cli(["serve", "--config", unknownKey]),
      // The flag's good value hides a bad variable and a bad file: only the bad level-of-choice is reported.
      cli(["serve", "--port", "0", "--fast-path", "sometimes"], { env: { MEMBERSHIP_PORT: "abc", MEMBERSHIP_CONFIG: file } }),
    ]);
    expect([flag, env, config, key, flagWins].map((r) => [r.code, r.stdout])).toEqual(Array(5).fill([2, ""]));
    expect(flag.stderr).toBe('membership-server: --port must be a whole number from 0 to 65535, not "70000"\n');
    expect(env.stderr).toBe('membership-server: MEMBERSHIP_PORT must be a whole number from 0 to 65535, not "abc"\n');
    expect(config.stderr).toBe(`membership-server: port in ${file} must be a whole number from 0 to 65535, not "8o8o"\n`);
    expect(key.stderr).toBe(`membership-server: unknown option "prot" in ${unknownKey} (did you mean port?)\n`);
    expect(flagWins.stderr).toBe('membership-server: --fast-path must be on or off, not "sometimes"\n');
  });
});

describe("serve on a busy port", () => {
  it("says so in one line naming the port and the flag, and exits 1", async () => {
    const busy = net.createServer();
    await new Promise<void>((ok) => busy.listen(0, "127.0.0.1", ok));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const r = await cli(["serve", "--port", String(port), "--db", join(dir, "busy.db")]);
      expect([r.code, r.stdout, r.stderr]).toEqual([1, "", `membership-server: port ${port} on 127.0.0.1 is in use; choose another with --port\n`]);
    } finally {
      busy.close();
    }
  });
});
