// Update RPCs of users, identities and projects, over gRPC and Connect:
// explicit optional fields (unset keeps the value), a change to nothing new
// writes nothing, each real change is one `<type>.updated` audit event, and
// bad input names its field. Then the REST paths, with plain fetch.
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { codeOf, errorOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { protocols } from "../helpers/protocol-matrix.ts";
import { actionsAfter, lastSequence } from "./lifecycle-helpers.ts";

const fieldOf = async (call: Promise<unknown>) => {
  const err = await errorOf(call);
  return [err.code, err.rawMessage.split(":")[0]];
};

describe.each(protocols("grpc h2c", "connect json h2c"))("updates over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite" });

  it("UpdateUser changes only the fields set, audits once, and writes nothing for no change", async () => {
    const u = await w.newUser({ firstName: "Ada", lastName: "Byron" });
    const from = await lastSequence(w);
    const { user } = await w.c.users.updateUser({ userId: u.id, lastName: "Lovelace" }, w.admin);
    expect(user).toMatchObject({ id: u.id, email: u.email, firstName: "Ada", lastName: "Lovelace" });
    await w.c.users.updateUser({ userId: u.id, lastName: "Lovelace" }, w.admin);
    await w.c.users.updateUser({ userId: u.id }, w.admin);
    expect((await actionsAfter(w, from)).map((e) => [e.action, e.targetId])).toEqual([["user.updated", u.id]]);
    expect((await w.c.users.getUser({ userId: u.id }, u.as)).user!.lastName).toBe("Lovelace");
  });

  it("UpdateUser keeps emails unique per organization, and a changed email is found by it", async () => {
    const [a, b] = [await w.newUser(), await w.newUser()];
    expect(await codeOf(w.c.users.updateUser({ userId: a.id, email: b.email.toUpperCase() }, w.admin))).toBe(Code.AlreadyExists);
    const moved = `moved-${protocol.family}@example.com`;
    await w.c.users.updateUser({ userId: a.id, email: moved }, w.admin);
    const found = await w.c.users.listUsers({ emailPrefix: "moved-" + protocol.family }, w.admin);
    expect(found.users.map((x) => x.id)).toEqual([a.id]);
    // Its old address is free.
    await w.c.users.createUser({ email: a.email, firstName: "N", lastName: "N" }, w.admin);
  });

  it("names the field of each bad value and writes nothing", async () => {
    const u = await w.newUser();
    const from = await lastSequence(w);
    expect(await fieldOf(w.c.users.updateUser({ userId: u.id, email: "nope" }, w.admin))).toEqual([Code.InvalidArgument, "email"]);
    expect(await fieldOf(w.c.users.updateUser({ userId: u.id, firstName: "" }, w.admin))).toEqual([Code.InvalidArgument, "first_name"]);
    expect(await fieldOf(w.c.users.updateUser({ userId: u.id, lastName: "x".repeat(201) }, w.admin))).toEqual([Code.InvalidArgument, "last_name"]);
    expect(await fieldOf(w.c.users.updateUser({ userId: "", firstName: "A" }, w.admin))).toEqual([Code.InvalidArgument, "user_id"]);
    expect(await fieldOf(w.c.identities.updateIdentity({ identityId: "x", name: "a\nb" }, w.admin))).toEqual([Code.InvalidArgument, "name"]);
    expect(await fieldOf(w.c.projects.updateProject({ projectId: w.projectId, name: "" }, w.admin))).toEqual([Code.InvalidArgument, "name"]);
    expect(await fieldOf(w.c.projects.updateProject({ projectId: w.projectId, description: "d".repeat(1001) }, w.admin))).toEqual([Code.InvalidArgument, "description"]);
    expect(await actionsAfter(w, from)).toEqual([]);
  });

  it("UpdateIdentity renames; unknown ids are NOT_FOUND", async () => {
    const bot = await w.newIdentity();
    expect((await w.c.identities.updateIdentity({ identityId: bot.id, name: "renamed bot" }, w.admin)).identity!.name).toBe("renamed bot");
    expect((await w.c.identities.getIdentity({ identityId: bot.id }, bot.as)).identity!.name).toBe("renamed bot");
    expect(await codeOf(w.c.identities.updateIdentity({ identityId: "1700000000000123456", name: "x" }, w.admin))).toBe(Code.NotFound);
  });

  it("UpdateProject changes the name and clears the description, and needs project.write", async () => {
    const projectId = await w.newProject("Old");
    const from = await lastSequence(w);
    await w.c.projects.updateProject({ projectId, description: "something" }, w.admin);
    const { project } = await w.c.projects.updateProject({ projectId, name: "New", description: "" }, w.admin);
    expect(project).toMatchObject({ id: projectId, name: "New", description: "" });
    expect((await actionsAfter(w, from)).map((e) => e.action)).toEqual(["project.updated", "project.updated"]);
    const viewer = await w.newUser();
    await w.c.members.addProjectMember({ projectId, userId: viewer.id, roles: ["member"] }, w.admin);
    expect(await codeOf(w.c.projects.updateProject({ projectId, name: "Mine" }, viewer.as))).toBe(Code.PermissionDenied);
  });
});

describe("lifecycle over REST, with fetch", () => {
  const w = useWorld({ per: "suite" });
  const call = (method: string, path: string, body?: unknown) =>
    fetch(w.ts.url + path, {
      method,
      headers: { authorization: `Bearer ${w.ts.adminToken}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : null,
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }));

  it("PATCH and DELETE on users, projects and organizations", async () => {
    const u = await w.newUser();
    const patched = await call("PATCH", `/v1/users/${u.id}`, { firstName: "Patched" });
    expect([patched.status, patched.json.user.firstName, patched.json.user.email]).toEqual([200, "Patched", u.email]);
    const deleted = await call("DELETE", `/v1/users/${u.id}`);
    expect(deleted.status).toBe(200);
    expect(Object.keys(deleted.json.details).sort()).toEqual(["changeDate", "resourceOwner", "sequence"]);
    expect(deleted.json.details.sequence).toMatch(/^\d+$/);
    expect((await call("DELETE", `/v1/users/${u.id}`)).status).toBe(404);

    const projectId = await w.newProject("rest");
    expect((await call("PATCH", `/v1/projects/${projectId}`, { description: "via REST" })).json.project.description).toBe("via REST");
    expect((await call("DELETE", `/v1/projects/${projectId}`)).status).toBe(200);

    const orgId = await w.newOrg();
    await w.newProject("inside", orgId);
    const refused = await call("DELETE", `/v1/organizations/${orgId}`);
    // grpc-gateway's error body: the gRPC code (9, FAILED_PRECONDITION) and the message naming the problem.
    expect([refused.status, refused.json.code]).toEqual([400, Code.FailedPrecondition]);
    expect(refused.json.message).toContain("1 project");
    expect((await call("DELETE", `/v1/organizations/${orgId}?cascade=true`)).status).toBe(200);
    expect((await call("GET", `/v1/organizations/${orgId}`)).status).toBe(404);
  });
});
