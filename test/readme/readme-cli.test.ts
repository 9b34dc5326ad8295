// README's command-line example, run as written in a scratch folder whose
// database a running server holds open: the commands work beside it, and the
// token they issue is one the server accepts.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv } from "../helpers/cli-process.ts";
import { block } from "../helpers/readme.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const example = block("cli-token");

let dir: string;
let s: TestServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "readme-cli-"));
  symlinkSync(join(ROOT, "bin"), join(dir, "bin"));
  mkdirSync(join(dir, "data"));
  // The README's default database, relative to where the commands run.
  s = await startTestServer({ db: join(dir, "data", "membership.db") });
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("README's command-line example", () => {
  it("creates a user and issues a token for it that the running server accepts", async () => {
    expect(example).toContain("token create");
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", example], { cwd: dir, encoding: "utf8", env: cleanEnv() });
    expect(r.status, r.stderr).toBe(0);
    const token = r.stdout.trimEnd().split("\n").at(-1)!;
    expect(token).toMatch(/^mbr_[A-Za-z0-9_-]{43}$/);
    const res = await fetch(`${s.url}/membership.v1.UserService/ListUsers`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.adminToken}`, "content-type": "application/json" },
      body: "{}",
    });
    const grace = ((await res.json()) as any).users.find((u: any) => u.email === "grace@example.com");
    const self = await fetch(`${s.url}/membership.v1.UserService/GetUser`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ userId: grace.id }),
    });
    expect(self.status).toBe(200);
  });
});
