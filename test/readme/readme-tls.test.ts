// README's TLS section, run as written: openssl makes the certificate, the
// server serves it, curl and buf curl trust it. Only the port differs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliJson } from "../helpers/cli-process.ts";
import { freePort, missingTools, removeScratch, scratch, session, startBlock, type Background, type Ports } from "../helpers/readme.ts";

const tools = missingTools({ openssl: "command -v openssl", curl: "command -v curl" });

let dir: string;
let ports: Ports;
let server: Background | undefined;

beforeAll(async () => {
  if (tools.skip) return;
  dir = scratch("readme-tls");
  ports = { 8443: await freePort() };
  await session(["tls-cert"], { cwd: dir, ports });
  server = await startBlock("tls-serve", { cwd: dir, ports });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) removeScratch(dir);
});

describe.skipIf(tools.skip)("README's TLS example", () => {
  it("has its tools", () => expect(tools.missing).toEqual([]));

  it("serves HTTPS on the port it names", () => {
    expect(server!.url).toBe(`https://127.0.0.1:${ports[8443]}`);
  });

  it("answers curl and buf curl, which trust the certificate README made", async () => {
    const made = await cliJson(["project", "create", "--name", "Over TLS"], { cwd: dir });
    const out = await session(["token", "tls-call"], { cwd: dir, ports });
    const [health, ...rest] = out["tls-call"]!.stdout.split("\n");
    expect(JSON.parse(health!)).toEqual({ status: "SERVING" });
    expect(JSON.parse(rest.join("\n")).projects).toEqual([expect.objectContaining({ id: made.id, name: "Over TLS" })]);
  });
});
