// The data commands, each run as its own process against the database file of
// a server that keeps running: what they write, the server serves at once
// (tokens included), and every change is audited like an API call.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.ts";
import { cli, cliJson, latestSchemaVersion } from "../helpers/cli-process.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ file: true });
});
afterAll(() => s.close());

const db = () => ["--db", s.dbPath];
const lines = (text: string) => text.trimEnd().split("\n");

/** A Connect JSON call to the running server. */
async function call(token: string, procedure: string, body: object = {}, orgId?: string) {
  const res = await fetch(`${s.url}/${procedure}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(orgId ? { "x-zitadel-orgid": orgId } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("org, project, user, identity and member commands", () => {
  it("create and list, as JSON for scripts and as tables, what the running server then serves", async () => {
    const org = await cliJson(["org", "create", "--name", "Acme", ...db()]);
    const inOrg = ["--org", org.id, ...db()];
    const [project, user, identity] = await Promise.all([
      cliJson(["project", "create", "--name", "Payments", "--description", "money", ...inOrg]),
      cliJson(["user", "create", "--email", "ada@example.com", "--first-name", "Ada", "--last-name", "Lovelace", ...inOrg]),
      cliJson(["identity", "create", "--name", "deployer", ...inOrg]),
    ]);
    expect([project.organizationId, user.organizationId, identity.organizationId]).toEqual([org.id, org.id, org.id]);
    // One after the other: lists are in creation order.
    const asUser = await cliJson(["member", "add", "--project", project.id, "--user", user.id, "--role", "viewer", "--role", "member", ...db()]);
    const asIdentity = await cliJson(["member", "add", "--project", project.id, "--identity", identity.id, "--role", "viewer", ...db()]);
    expect([asUser.status, [...asUser.roles].sort(), asIdentity.roles]).toEqual(["active", ["member", "viewer"], ["viewer"]]);

    const [orgs, projects, users, identities, members, table] = await Promise.all([
      cliJson(["org", "list", ...db()]),
      cliJson(["project", "list", ...inOrg]),
      cliJson(["user", "list", ...inOrg]),
      cliJson(["identity", "list", ...inOrg]),
      cliJson(["member", "list", "--project", project.id, ...db()]),
      cli(["member", "list", "--project", project.id, ...db()]),
    ]);
    expect(orgs.map((o: any) => o.id)).toEqual([s.orgId, org.id]);
    expect(projects.map((p: any) => [p.id, p.name, p.description])).toEqual([[project.id, "Payments", "money"]]);
    expect(users.map((u: any) => u.email)).toEqual(["ada@example.com"]);
    expect(identities.map((i: any) => i.name)).toEqual(["deployer"]);
    expect(members.map((m: any) => [m.principalType, m.principalId])).toEqual([
      ["user", user.id],
      ["identity", identity.id],
    ]);
    expect(table.code).toBe(0);
    expect(lines(table.stdout)[0]).toMatch(/^ID +TYPE +PRINCIPAL +NAME +STATUS +ROLES$/);
    expect(lines(table.stdout).slice(1).map((l) => l.split(/ +/).slice(1, 6))).toEqual([
      ["user", user.id, "ada@example.com", "active", asUser.roles.join(",")],
      ["identity", identity.id, "deployer", "active", "viewer"],
    ]);

    const served = await call(s.adminToken, "membership.v1.MembershipService/ListMemberships", { projectId: project.id }, org.id);
    expect(served.status).toBe(200);
    expect(served.body.memberships.map((m: any) => m.id)).toEqual([asUser.id, asIdentity.id]);
  });

  it("refuse bad input with exit 2 naming the flag, and what does not exist with exit 1", async () => {
    const [email, project, missing] = await Promise.all([
      cli(["user", "create", "--email", "ada", "--first-name", "A", "--last-name", "L", ...db()]),
      cli(["member", "add", "--project", "42", "--user", s.adminUserId, "--role", "viewer", ...db()]),
      cli(["org", "list", "--db", `${s.dbPath}.missing`]),
    ]);
    expect([email.code, email.stdout, email.stderr]).toEqual([2, "", "membership-server: --email: must be an email address like name@example.com\n"]);
    expect([project.code, project.stderr]).toEqual([1, "membership-server: project 42 not found\n"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no database at ${s.dbPath}.missing (--db)`);
  });
});

describe("token commands", () => {
  it("issue a token the running server accepts, list it, and revoke it so the server refuses it, audited as the CLI", async () => {
    const created = await cliJson(["token", "create", "--user", s.adminUserId, "--description", "ci", "--expires", "30d", ...db()]);
    expect(created.token).toMatch(/^mbr_[A-Za-z0-9_-]{43}$/);
    // 30 days from when the command read the clock, a moment before the token's creation time.
    expect(Math.abs(Date.parse(created.expiresAt) - Date.parse(created.createdAt) - 30 * 86_400_000)).toBeLessThan(60_000);
    expect((await call(created.token, "membership.v1.OrganizationService/ListOrganizations")).status).toBe(200);

    const listed = await cliJson(["token", "list", "--user", s.adminUserId, ...db()]);
    expect(listed.map((t: any) => t.id)).toContain(created.id);
    expect(JSON.stringify(listed)).not.toContain(created.token);

    const revoked = await cliJson(["token", "revoke", created.id, ...db()]);
    expect(revoked.revokedAt).not.toBeNull();
    expect((await call(created.token, "membership.v1.OrganizationService/ListOrganizations")).status).toBe(401);

    const audit = await call(s.adminToken, "membership.v1.AuditService/ListAuditEvents", { targetId: created.id });
    expect(audit.body.events.map((e: any) => [e.action, e.actorId, e.requestId])).toEqual([
      ["token.created", s.adminUserId, "cli:token-create"],
      ["token.revoked", s.adminUserId, "cli:token-revoke"],
    ]);
  });

  it("print the secret alone on stdout without --json, and say on stderr that it is shown once", async () => {
    const identity = await cliJson(["identity", "create", "--name", "bot", ...db()]);
    const r = await cli(["token", "create", "--identity", identity.id, ...db()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mbr_[A-Za-z0-9_-]{43}\n$/);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(`for identity ${identity.id}`);
    expect(r.stderr).toContain("shown only this once");
    expect((await call(r.stdout.trim(), "membership.v1.IdentityService/GetIdentity", { identityId: identity.id })).status).toBe(200);
  });
});

describe("admin-token", () => {
  it("issues a working administrator token, prints it once, and writes it beside an existing token file, never over it", async () => {
    const kept = `${s.dbPath}.admin-token`;
    writeFileSync(kept, "the token file of before\n");
    const r = await cli(["admin-token", ...db()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mbr_[A-Za-z0-9_-]{43}\n$/);
    const token = r.stdout.trim();
    expect(r.stderr).toContain(`written to ${kept}.1`);
    expect(readFileSync(kept, "utf8")).toBe("the token file of before\n");
    expect(readFileSync(`${kept}.1`, "utf8")).toBe(`${token}\n`);
    expect(statSync(`${kept}.1`).mode & 0o777).toBe(0o600);
    // The instance administrator's token: it sees every organization.
    const orgs = await call(token, "membership.v1.OrganizationService/ListOrganizations");
    expect(orgs.status).toBe(200);
    expect(orgs.body.organizations.map((o: any) => o.id)).toContain(s.orgId);
    expect(orgs.body.organizations.length).toBeGreaterThan(1);
  });
});

describe("migrate and version", () => {
  it("migrate leaves an up-to-date database as it is; version prints package.json's version", async () => {
    const [migrate, version, json] = await Promise.all([cli(["migrate", ...db()]), cli(["version"]), cliJson(["version"])]);
    expect([migrate.code, migrate.stdout]).toEqual([0, `${s.dbPath}: schema version ${await latestSchemaVersion()}, up to date\n`]);
    expect([version.code, version.stdout]).toEqual([0, `membership-server ${VERSION}\n`]);
    expect(json).toEqual({ name: "membership-server", version: JSON.parse(readFileSync("package.json", "utf8")).version, node: process.version });
  });
});
