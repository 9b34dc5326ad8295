// README's "Infisical API" examples, run as written after "Try it" and
// "REST" in one shell, against a real server whose database and token file
// are where README says.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { removeScratch, scratch, session, type BlockResult } from "../helpers/readme.ts";

let dir: string;
let s: TestServer;
let out: Record<string, BlockResult>;

beforeAll(async () => {
  dir = scratch("readme-infisical");
  mkdirSync(join(dir, "data"));
  const db = join(dir, "data", "membership.db");
  s = await startTestServer({ db, tokenFile: `${db}.admin-token` });
  const ports = { 8080: Number(new URL(s.url).port) };
  out = await session(["token", "rest-setup", "rest-add-member", "infisical-add-identity", "infisical-list", "infisical-error"], { cwd: dir, ports });
}, 30_000);

afterAll(async () => {
  await s?.close();
  removeScratch(dir);
});

describe("README: Infisical API", () => {
  it("adds deploy-bot as a viewer the way an Infisical script does", () => {
    const { identityMembership } = JSON.parse(out["infisical-add-identity"]!.stdout);
    expect(Object.keys(identityMembership)).toEqual(["id", "projectId", "identityId", "createdAt", "updatedAt"]);
  });

  it("lists it by name with its role, then the project's users: Margaret, whom REST added", () => {
    const [identities, users] = out["infisical-list"]!.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(identities.totalCount).toBe(1);
    expect(identities.identityMemberships.map((m: { identity: { name: string }; roles: { role: string }[] }) => [m.identity.name, m.roles.map((r) => r.role)])).toEqual([
      ["deploy-bot", ["viewer"]],
    ]);
    expect(users.memberships.map((m: { user: { email: string }; roles: { role: string }[] }) => [m.user.email, m.roles.map((r) => r.role)])).toEqual([
      ["margaret@example.com", ["PROJECT_OWNER"]],
    ]);
  });

  it("answers adding it again with Infisical's error body", () => {
    const err = JSON.parse(out["infisical-error"]!.stdout);
    expect(Object.keys(err)).toEqual(["reqId", "statusCode", "message", "error"]);
    expect([err.statusCode, err.error]).toEqual([400, "BadRequest"]);
  });
});
