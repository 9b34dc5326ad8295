// The update and delete commands, each its own process against the database
// file of a running server: a user deleted here can no longer call the
// server, and an organization with content is refused until --cascade. In
// the postgres project the server and the commands share a PostgreSQL URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliJson } from "../helpers/cli-process.ts";
import { worldsOnPostgres } from "../helpers/postgres.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ file: !worldsOnPostgres });
});
afterAll(() => s.close());

const db = () => ["--db", s.dbPath];
const whoAmI = (token: string, userId: string) =>
  fetch(`${s.url}/membership.v1.UserService/GetUser`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ userId }),
  }).then((r) => r.status);

describe("update and delete commands", () => {
  it("update what they are given, delete with cascades, and refuse a non-empty organization", async () => {
    const org = await cliJson(["org", "create", "--name", "Temp", ...db()]);
    const inOrg = ["--org", org.id, ...db()];
    const [project, user, identity] = await Promise.all([
      cliJson(["project", "create", "--name", "P", ...inOrg]),
      cliJson(["user", "create", "--email", "tmp@example.com", "--first-name", "T", "--last-name", "U", ...inOrg]),
      cliJson(["identity", "create", "--name", "bot", ...inOrg]),
    ]);
    const token = (await cli(["token", "create", "--user", user.id, ...db()])).stdout.trim();
    expect(await whoAmI(token, user.id)).toBe(200);

    const [o, p, u, i, refused] = await Promise.all([
      cliJson(["org", "update", org.id, "--name", "Renamed", ...db()]),
      cliJson(["project", "update", project.id, "--description", "now described", ...db()]),
      cliJson(["user", "update", user.id, "--last-name", "Updated", ...db()]),
      cliJson(["identity", "update", identity.id, "--name", "robot", ...db()]),
      cli(["org", "delete", org.id, ...db()]),
    ]);
    expect([o.name, p.description, u.firstName, u.lastName, i.name]).toEqual(["Renamed", "now described", "T", "Updated", "robot"]);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining("1 project, 1 user and 1 identity")]);
    const gone = await cliJson(["user", "delete", user.id, ...db()]);
    expect(gone).toMatchObject({ id: user.id, sequence: expect.any(Number) });
    expect(await whoAmI(token, user.id)).toBe(401);
    await Promise.all([cliJson(["identity", "delete", identity.id, ...db()]), cliJson(["project", "delete", project.id, ...db()])]);
    expect((await cliJson(["org", "delete", org.id, ...db()])).id).toBe(org.id);
    const missing = await cli(["user", "delete", user.id, ...db()]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining(`user ${user.id} not found`)]);
  });
});
