// README's "Clients" section, run as written after "Try it" in one shell:
// buf curl through reflection, Connect-ES, @grpc/grpc-js, a ZITADEL client,
// ZITADEL's v2 REST paths with curl and Python's grpcio, each on what Try it made,
// whose database and token file are where README says.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRoutes } from "../../scripts/rpc-table.ts";
import { routePath } from "../../src/rpc/route.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { missingTools, removeScratch, scratch, session, type BlockResult } from "../helpers/readme.ts";

let dir: string;
let s: TestServer;
let ports: Record<number, number>;
let before: Record<string, BlockResult>;
let project: { id: string; name: string };
let ada: string;

beforeAll(async () => {
  dir = scratch("readme-clients");
  mkdirSync(join(dir, "data"));
  const db = join(dir, "data", "membership.db");
  s = await startTestServer({ db, tokenFile: `${db}.admin-token` });
  ports = { 8080: Number(new URL(s.url).port) };
  // The shell state Clients starts from: Try it's project and member, then where they are.
  before = await session(["token", "add-member"], { cwd: dir, ports });
  const projects = (await call("ProjectService/ListProjects")).projects as { id: string; name: string }[];
  project = projects.find((p) => p.name === "Billing")!;
  ada = ((await call("UserService/ListUsers")).users as { id: string; email: string }[]).find((u) => u.email === "ada@example.com")!.id;
}, 30_000);

afterAll(async () => {
  await s?.close();
  removeScratch(dir);
});

async function call(method: string, body: object = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${s.url}/membership.v1.${method}`, {
    method: "POST",
    headers: { authorization: `Bearer ${s.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** The output of `name`, run in a shell holding what Try it left there: $TOKEN, $PROJECT and $ADA. */
const after = async (name: string) => (await session(["token", name], { cwd: dir, ports, env: { PROJECT: project.id, ADA: ada } }))[name]!.stdout;

describe("README's clients", () => {
  it("start from Try it's project and member", () => {
    expect(Number(JSON.parse(before["add-member"]!.stdout).details.sequence)).toBeGreaterThan(0);
    expect(project.name).toBe("Billing");
  });

  it("buf curl lists the services and a service's methods through reflection", async () => {
    const lines = (await after("buf-curl-list")).trim().split("\n");
    expect(lines).toEqual(expect.arrayContaining(["membership.v1.ProjectService", "zitadel.management.v1.ManagementService", "grpc.reflection.v1.ServerReflection", "membership.v1.MembershipService/CheckAccess"]));
    const methods = allRoutes().map((r) => routePath(r).slice(1)).filter((p) => p.startsWith("membership.v1.MembershipService/"));
    expect(lines.filter((l) => l.includes("/")).sort()).toEqual(methods.sort());
  });

  it("Connect-ES lists the projects", async () => {
    expect(await after("list-projects-connect")).toBe(`${project.id} Billing\n`);
  });

  it("@grpc/grpc-js lists the projects", async () => {
    expect(await after("list-projects-grpc")).toBe(`${project.id} Billing\n`);
  });

  it("ZITADEL's own client lists the project's members in the organization it names", async () => {
    expect(await after("list-members")).toBe(`${ada} ada@example.com viewer\n`);
  });

  // After the ZITADEL client, as in README: it makes Ada an administrator too.
  it("ZITADEL v2 over REST: Ada becomes an administrator, and her authorization keeps the role key viewer only", async () => {
    const out = await session(["token", "v2-rest-administrator", "v2-rest-authorizations"], { cwd: dir, ports, env: { PROJECT: project.id, ADA: ada } });
    expect(JSON.parse(out["v2-rest-administrator"]!.stdout)).toEqual({ creationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/) });
    const { authorizations, pagination } = JSON.parse(out["v2-rest-authorizations"]!.stdout);
    expect(pagination.totalResult).toBe("1");
    expect(authorizations.map((a: { user: { id: string }; roles: string[]; state: string; projectName: string }) => [a.user.id, a.roles, a.state, a.projectName])).toEqual([
      [ada, ["viewer"], "STATE_ACTIVE", "Billing"],
    ]);
    const roles = (await call("MembershipService/ListMemberships", { projectId: project.id })).memberships as { roles: { role: string }[] }[];
    expect(roles.map((m) => m.roles.map((r) => r.role).sort())).toEqual([["PROJECT_OWNER_VIEWER", "viewer"]]);
  });
});

const python = missingTools({
  "python3-grpcio": "/usr/bin/python3 -c 'import grpc, google.protobuf'",
  "protobuf-compiler": "command -v protoc",
  "protobuf-compiler-grpc": "command -v grpc_python_plugin",
});

describe.skipIf(python.skip)("README's Python client", () => {
  it("has its tools", () => expect(python.missing).toEqual([]));

  it("generates stubs from proto/ and lists the projects", async () => {
    expect(await after("list-projects-python")).toBe(`${project.id} Billing\n`);
  });
});
