// Privilege escalation: a caller grants only permissions it holds itself,
// whether by adding a member, raising one or minting a custom role. Who may
// call which RPC at all is the authorization matrix
// (test/access/authorization-matrix.test.ts), generated from the route table.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../helpers/call-outcomes.ts";
import { createWorld, type World } from "../helpers/fixtures.ts";
import { targets } from "../helpers/rpc-cases.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let ts: TestServer;
let w: World;
let target: ReturnType<typeof targets>;

beforeAll(async () => {
  ts = await startTestServer();
  w = await createWorld(ts);
  target = targets(ts, w);
});
afterAll(() => ts.close());

describe("privilege escalation", () => {
  it("a caller grants only roles whose permissions it holds; the refusal names what is missing", async () => {
    await w.c.projects.createProjectRole(
      { projectId: w.projectId, slug: "member-manager", name: "Member manager", permissions: ["project.read", "project.role.read", "project.member.read", "project.member.write"] },
      w.admin,
    );
    const manager = await w.newUser("manager");
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: manager.id, roles: ["member-manager"] }, w.admin);

    await w.c.members.addProjectMember({ projectId: w.projectId, userId: await target.user(), roles: ["viewer", "member"] }, manager.as);
    const err = await w.c.members.addProjectMember({ projectId: w.projectId, userId: await target.user(), roles: ["admin"] }, manager.as).catch((e) => e);
    expect(err.code).toBe(Code.PermissionDenied);
    for (const missing of ["audit.read", "project.member.delete", "project.role.write", "project.write"]) expect(err.rawMessage).toContain(missing);
    // Nor by raising an existing member, nor by minting a custom role.
    expect(await codeOf(w.c.members.updateProjectMember({ projectId: w.projectId, userId: await target.member(), roles: ["PROJECT_OWNER"] }, manager.as))).toBe(Code.PermissionDenied);
    const bot = await w.newIdentity();
    expect(await codeOf(w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [{ role: "admin" }] }, manager.as))).toBe(Code.PermissionDenied);
  });

  it("a role admin cannot mint a role with permissions it lacks", async () => {
    await w.c.projects.createProjectRole({ projectId: w.projectId, slug: "role-editor", name: "Role editor", permissions: ["project.role.write", "project.role.read"] }, w.admin);
    const editor = await w.newUser("editor");
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: editor.id, roles: ["role-editor"] }, w.admin);
    expect(await codeOf(w.c.projects.createProjectRole({ projectId: w.projectId, slug: "sneaky", name: "s", permissions: ["project.member.write"] }, editor.as))).toBe(Code.PermissionDenied);
    await w.c.projects.createProjectRole({ projectId: w.projectId, slug: "harmless", name: "h", permissions: ["project.role.read"] }, editor.as);
  });
});
