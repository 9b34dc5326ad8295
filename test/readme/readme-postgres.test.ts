// README's PostgreSQL section, run as written against the run's PostgreSQL
// (its port in place of 5432, a role and database named as README names
// them): migrate, then a server on the URL, whose token file is where README
// says, and an offline command on the same URL beside it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliJson } from "../helpers/cli-process.ts";
import { testPgUrl } from "../helpers/postgres.ts";
import { freePort, removeScratch, scratch, session, startBlock, type Background, type Ports } from "../helpers/readme.ts";

/** The role and database README's URL names, made once on the run's PostgreSQL. */
async function readmeDatabase(): Promise<number> {
  const admin = new pg.Client({ connectionString: testPgUrl });
  await admin.connect();
  try {
    const role = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = 'membership'");
    if (role.rows.length === 0) await admin.query("CREATE ROLE membership LOGIN PASSWORD 'secret'");
    const db = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'membership'");
    if (db.rows.length === 0) await admin.query("CREATE DATABASE membership OWNER membership");
  } finally {
    await admin.end();
  }
  return Number(new URL(testPgUrl!).port);
}

describe.skipIf(!testPgUrl)("README's PostgreSQL section", () => {
  let dir: string;
  let ports: Ports;
  let server: Background | undefined;
  beforeAll(async () => {
    dir = scratch("readme-pg");
    ports = { 5432: await readmeDatabase(), 9092: await freePort() };
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    removeScratch(dir);
  });

  it("migrates, serves on the URL and shares the database with the offline commands; the password stays out of the output", async () => {
    const out = await session(["postgres-migrate"], { cwd: dir, ports });
    expect(out["postgres-migrate"]!.stdout).toMatch(/^postgres:\/\/membership:\*\*\*@127\.0\.0\.1:\d+\/membership: schema version \d+/);
    server = await startBlock("postgres-serve", { cwd: dir, ports });
    expect(server.output()).not.toContain("secret");
    const token = readFileSync(join(dir, "data", "membership.admin-token"), "utf8").trim();
    const env = { MEMBERSHIP_DB: `postgres://membership:secret@127.0.0.1:${ports[5432]}/membership` };
    await cliJson(["project", "create", "--name", "Made offline"], { cwd: dir, env });
    const res = await fetch(`${server.url}/membership.v1.ProjectService/ListProjects`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { projects: { name: string }[] }).projects.map((p) => p.name)).toContain("Made offline");
  });
});
