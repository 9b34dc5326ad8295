// README's operator sections, run as written in a scratch folder: the server
// of "Configuration" (flag over variable over file), the CORS preflight
// against it, a backup while it serves and the restore once it stopped; the
// configuration table against the options the server reads; the providers
// file read by the server's own loader.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJwtProviders } from "../../src/access/jwt-config.ts";
import { OPTIONS } from "../../src/config.ts";
import { CONFIG_OPTION } from "../../src/cli/options.ts";
import { cliJson } from "../helpers/cli-process.ts";
import { README, block, freePort, removeScratch, scratch, session, startBlock, type Background, type Ports } from "../helpers/readme.ts";

let dir: string;
let ports: Ports;
let server: Background | undefined;
let token: string;

beforeAll(async () => {
  dir = scratch("readme-ops");
  ports = { 9090: await freePort(), 9091: await freePort() };
  server = await startBlock("config-file", { cwd: dir, ports });
  token = readFileSync(join(dir, "data", "membership.db.admin-token"), "utf8").trim();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  removeScratch(dir);
});

const projectNames = async () => (await cliJson<{ name: string }[]>(["project", "list"], { cwd: dir })).map((p) => p.name).sort();

describe("README's configuration example", () => {
  it("listens on the flag's port, not the file's", () => {
    expect(server!.url).toBe(`http://127.0.0.1:${ports[9091]}`);
  });

  it("logs at the variable's level (info: access lines), not the file's (warn)", async () => {
    const res = await fetch(`${server!.url}/membership.v1.ProjectService/ListProjects`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": "readme-config" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    const logged = () => server!.output().split("\n").some((l) => l.includes('"requestId":"readme-config"'));
    for (let i = 0; i < 100 && !logged(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(logged()).toBe(true);
  });

  it("allows the file's CORS origin: the preflight of README's CORS section is answered for it", async () => {
    const out = await session(["cors-preflight"], { cwd: dir, ports });
    expect(out["cors-preflight"]!.stdout.trim()).toBe("Access-Control-Allow-Origin: http://localhost:5173");
  });

  it("documents every setting the server reads, with its variable", () => {
    const table = README.slice(README.indexOf("| flag | environment | default |"));
    const rows = table.slice(0, table.indexOf("\n\n")).split("\n").slice(2);
    const documented = rows.flatMap((r) => {
      const [flags, envs] = r.split("|").slice(1, 3).map((c) => [...c!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
      return flags!.map((f, i) => [f.replace(/^--/, ""), envs![i]]);
    });
    const read = Object.entries({ config: CONFIG_OPTION, ...OPTIONS }).map(([name, spec]) => [name, spec.env]);
    expect(documented.sort()).toEqual(read.sort());
  });
});

describe("README's backup and restore", () => {
  it("backs up while the server serves; the restore, once it stopped, brings back what the backup held", async () => {
    await cliJson(["project", "create", "--name", "Before the backup"], { cwd: dir });
    await session(["backup"], { cwd: dir, ports });
    await cliJson(["project", "create", "--name", "After the backup"], { cwd: dir });
    expect(await projectNames()).toEqual(["After the backup", "Before the backup"]);
    await server!.stop();
    server = undefined;
    await session(["restore"], { cwd: dir, ports });
    expect(await projectNames()).toEqual(["Before the backup"]);
  });
});

describe("README's JWT providers file", () => {
  it("is one the server's loader accepts", () => {
    expect(block("providers.json")).toContain('"organizationId"');
    const [p] = loadJwtProviders(join(dir, "providers.json"));
    expect([p!.issuer, p!.audience, p!.claim, p!.jwks]).toEqual(["https://idp.example.com", "membership", "email", { url: "https://idp.example.com/jwks.json" }]);
  });
});
