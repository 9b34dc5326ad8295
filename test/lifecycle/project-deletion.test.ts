// Deleting a project, over gRPC and Connect: its memberships end (a watcher
// of the project sees each end), its custom roles go, each effect audited;
// afterwards the project answers NOT_FOUND everywhere. Deleting needs
// org.project.delete: a project's own administrators cannot.
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { codeOf, errorOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { protocols } from "../helpers/protocol-matrix.ts";
import { actionsAfter, lastSequence, watchedAfter } from "./lifecycle-helpers.ts";

describe.each(protocols("grpc h2c", "connect json h2c"))("deleting projects over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite" });

  it("ends memberships and removes custom roles, each audited and watched", async () => {
    const projectId = await w.newProject("doomed");
    const role = (await w.c.projects.createProjectRole({ projectId, slug: "auditor", name: "Auditor", permissions: ["project.read"] }, w.admin)).role!;
    const [a, b] = [await w.newUser(), await w.newUser()];
    await w.c.members.addProjectMember({ projectId, userId: a.id, roles: ["auditor"] }, w.admin);
    await w.c.members.addProjectMember({ projectId, userId: b.id, roles: ["viewer"] }, w.admin);
    await w.c.members.removeProjectMember({ projectId, userId: b.id }, w.admin);
    const bot = await w.newIdentity();
    await w.c.members.createIdentityMembership({ projectId, identityId: bot.id }, w.admin);
    expect((await w.c.projects.getProject({ projectId }, a.as)).project!.id).toBe(projectId);
    const from = await lastSequence(w);

    const { details } = await w.c.projects.deleteProject({ projectId }, w.admin);

    // The two memberships in force end; the one already removed has nothing left to end.
    const events = await actionsAfter(w, from);
    expect(events.map((e) => e.action)).toEqual(["membership.deactivated", "membership.deactivated", "role.deleted", "project.deleted"]);
    expect(events[2]!.targetId).toBe(role.id);
    expect(events.at(-1)).toMatchObject({ targetId: projectId, sequence: details!.sequence });
    const watched = await watchedAfter(w, from, 2);
    expect(watched.map((e) => e.principalId).sort()).toEqual([a.id, bot.id].sort());
    expect(watched.every((e) => e.projectId === projectId && e.status === "deactivated")).toBe(true);
    // Gone everywhere: the project, its roles, its members; the principals stay.
    expect(await codeOf(w.c.projects.getProject({ projectId }, w.admin))).toBe(Code.NotFound);
    // Its former member, holding nothing now, is answered as for an id that never existed.
    const never = await codeOf(w.c.projects.getProject({ projectId: "1700000000000123456" }, a.as));
    expect(await codeOf(w.c.projects.getProject({ projectId }, a.as))).toBe(never);
    expect(await codeOf(w.c.projects.listProjectRoles({ projectId }, w.admin))).toBe(Code.NotFound);
    expect(await codeOf(w.c.members.listMemberships({ projectId }, w.admin))).toBe(Code.NotFound);
    expect((await w.c.projects.listProjects({}, w.admin)).projects.map((p) => p.id)).not.toContain(projectId);
    expect((await w.c.projects.listProjects({}, a.as)).projects).toEqual([]);
    expect((await w.c.users.getUser({ userId: a.id }, a.as)).user!.id).toBe(a.id);
    expect(await codeOf(w.c.projects.deleteProject({ projectId }, w.admin))).toBe(Code.NotFound);
  });

  it("is refused to a project administrator, and the project stays", async () => {
    const projectId = await w.newProject();
    const admin = await w.newUser();
    await w.c.members.addProjectMember({ projectId, userId: admin.id, roles: ["admin"] }, w.admin);
    expect(await codeOf(w.c.projects.deleteProject({ projectId }, admin.as))).toBe(Code.PermissionDenied);
    expect((await w.c.projects.getProject({ projectId }, admin.as)).project!.id).toBe(projectId);
  });

  it("names the field of a missing id", async () => {
    const err = await errorOf(w.c.projects.deleteProject({ projectId: "" }, w.admin));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toMatch(/^project_id: /);
  });
});
