// README's first command and its "Try it" examples, run as written against a
// real `npm start` in a scratch directory. Only the port differs (0 → the
// one the server reports) so the test never collides with a running server.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

/** The sh code blocks of a README section, or of the whole README. */
function blocks(section?: string): string[] {
  const start = section ? readme.indexOf(`## ${section}`) : 0;
  const end = readme.indexOf("\n## ", start + 3);
  const text = readme.slice(start, end === -1 ? undefined : end);
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

let dir: string;
let server: ChildProcess;
let port = 0;
let stdout = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "readme-"));
  for (const d of ["src", "gen", "proto", "scripts", "node_modules", "buf.yaml"]) symlinkSync(join(ROOT, d), join(dir, d));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  // A copy, not a link: the command finds the bundle beside its own real path.
  cpSync(join(ROOT, "bin"), join(dir, "bin"), { recursive: true });
  // Its own process group: npm's `sh -c node …` child outlives a signal sent to npm alone.
  server = spawn("npm", ["start", "--", "--port", "0"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], detached: true });
  server.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
  await new Promise<void>((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`server did not start: ${stdout}`)), 15_000);
    server.stdout!.on("data", () => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) {
        port = Number(m[1]);
        clearTimeout(t);
        ok();
      }
    });
  });
});

afterAll(async () => {
  process.kill(-server.pid!, "SIGTERM");
  // The server stops after npm exits; wait until no process of the group is left.
  while (groupAlive(server.pid!)) await new Promise((r) => setTimeout(r, 50));
  rmSync(dir, { recursive: true, force: true });
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const run = (script: string) => {
  const r = spawnSync("bash", ["-euo", "pipefail", "-c", script.replaceAll("localhost:8080", `localhost:${port}`)], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return r.stdout;
};

describe("README", () => {
  it("starts with the install-and-start command and the test command", () => {
    expect(blocks().slice(0, 2).map((b) => b.trim())).toEqual(["npm install && npm start", "npm test"]);
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.test).toContain("vitest run");
  });

  it("bootstraps on first start: the token file is 0600, its path printed, the token never logged", () => {
    const path = join(dir, "data", "membership.db.admin-token");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(stdout).toContain("data/membership.db.admin-token");
    const token = readFileSync(path, "utf8").trim();
    expect(token).toMatch(/^mbr_[A-Za-z0-9_-]{43}$/);
    expect(stdout).not.toContain(token);
  });

  it("shows the ZITADEL client example that test/zitadel/readme-example.test.ts runs", () => {
    const test = readFileSync(join(ROOT, "test/zitadel/readme-example.test.ts"), "utf8");
    const snippet = test.split("// --- README snippet: begin ---\n")[1]!.split("// --- README snippet: end ---")[0]!;
    expect(snippet.length).toBeGreaterThan(100);
    expect(readme).toContain("```ts\n" + snippet + "```");
  });

  it("runs the Try it examples as shown", () => {
    const [readToken, curlPost, bufCurl, addMember] = blocks("Try it");
    const created = JSON.parse(run(`${readToken}\n${curlPost}`));
    expect(created.project.name).toBe("Payments");
    const listed = JSON.parse(run(`${readToken}\n${bufCurl}`));
    expect(listed.projects.map((p: { id: string }) => p.id)).toContain(created.project.id);
    const added = JSON.parse(run(`${readToken}\n${addMember!.replace("<project id>", created.project.id)}`));
    expect(Number(added.details.sequence)).toBeGreaterThan(0);
  });
});
