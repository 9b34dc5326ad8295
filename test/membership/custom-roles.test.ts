import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { codeOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";

const w = useWorld();

const auditor = { slug: "auditor", name: "Auditor", description: "Reads the trail", permissions: ["audit.read", "project.read"] };

describe("custom project roles", () => {
  it("are created, listed after the built-ins, updated and deleted", async () => {
    const { role } = await w.c.projects.createProjectRole({ projectId: w.projectId, ...auditor }, w.admin);
    expect(role!.id).not.toBe("");
    expect(role!.builtIn).toBe(false);
    expect(role!.permissions).toEqual(["audit.read", "project.read"]);

    const { roles } = await w.c.projects.listProjectRoles({ projectId: w.projectId }, w.admin);
    const slugs = roles.map((r) => r.slug);
    expect(slugs.slice(0, 8)).toEqual([
      "admin", "member", "viewer", "no-access",
      "PROJECT_OWNER", "PROJECT_OWNER_VIEWER", "PROJECT_OWNER_GLOBAL", "PROJECT_OWNER_VIEWER_GLOBAL",
    ]);
    expect(slugs).toContain("auditor");
    expect(roles.find((r) => r.slug === "admin")!.permissions).toContain("project.member.write");

    const { role: renamed } = await w.c.projects.updateProjectRole(
      { projectId: w.projectId, roleId: role!.id, name: "Trail reader", permissions: { permissions: ["audit.read"] } },
      w.admin,
    );
    expect(renamed!.name).toBe("Trail reader");
    expect(renamed!.slug).toBe("auditor");
    expect(renamed!.description).toBe("Reads the trail");
    expect(renamed!.permissions).toEqual(["audit.read"]);

    await w.c.projects.deleteProjectRole({ projectId: w.projectId, roleId: role!.id }, w.admin);
    const after = await w.c.projects.listProjectRoles({ projectId: w.projectId }, w.admin);
    expect(after.roles.map((r) => r.slug)).not.toContain("auditor");
  });

  it("show on membership roles with their id, name and slug, and grant their permissions", async () => {
    const { role } = await w.c.projects.createProjectRole({ projectId: w.projectId, ...auditor }, w.admin);
    const u = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["auditor"] }, w.admin);
    const { memberships } = await w.c.members.listMemberships({ projectId: w.projectId }, w.admin);
    const r = memberships.find((m) => m.userId === u.id)!.roles[0]!;
    expect(r.customRoleId).toBe(role!.id);
    expect(r.customRoleName).toBe("Auditor");
    expect(r.customRoleSlug).toBe("auditor");
    expect((await w.c.audit.listAuditEvents({ projectId: w.projectId }, u.as)).events.length).toBeGreaterThan(0);
  });

  it("page with a keyset: every role once, built-ins first, while roles are added", async () => {
    for (const slug of ["zeta", "alpha"]) await w.c.projects.createProjectRole({ projectId: w.projectId, slug, name: slug }, w.admin);
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await w.c.projects.listProjectRoles({ projectId: w.projectId, pageSize: 3, pageToken }, w.admin);
      expect(page.roles.length).toBeLessThanOrEqual(3);
      seen.push(...page.roles.map((r) => r.slug));
      pageToken = page.nextPageToken;
      if (seen.length === 3) await w.c.projects.createProjectRole({ projectId: w.projectId, slug: "mid", name: "mid" }, w.admin);
    } while (pageToken);
    expect(seen.slice(0, 8)).toEqual((await w.c.projects.listProjectRoles({ projectId: w.projectId, pageSize: 8 }, w.admin)).roles.map((r) => r.slug));
    expect(seen.slice(8)).toEqual(["alpha", "mid", "zeta"]);
    expect(await codeOf(w.c.projects.listProjectRoles({ projectId: w.projectId, pageToken: "bogus!" }, w.admin))).toBe(Code.InvalidArgument);
  });

  it("cannot be deleted while assigned (FAILED_PRECONDITION), and can once the member is removed", async () => {
    const { role } = await w.c.projects.createProjectRole({ projectId: w.projectId, ...auditor }, w.admin);
    const u = await w.newUser();
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["auditor"] }, w.admin);
    expect(await codeOf(w.c.projects.deleteProjectRole({ projectId: w.projectId, roleId: role!.id }, w.admin))).toBe(Code.FailedPrecondition);
    await w.c.members.removeProjectMember({ projectId: w.projectId, userId: u.id }, w.admin);
    await w.c.projects.deleteProjectRole({ projectId: w.projectId, roleId: role!.id }, w.admin);
  });

  it("refuses bad slugs, built-in slugs, duplicates and unknown permissions", async () => {
    const create = (over: object) => codeOf(w.c.projects.createProjectRole({ projectId: w.projectId, ...auditor, ...over }, w.admin));
    expect(await create({ slug: "Bad Slug" })).toBe(Code.InvalidArgument);
    expect(await create({ slug: "admin" })).toBe(Code.InvalidArgument);
    expect(await create({ permissions: ["org.user.write"] })).toBe(Code.InvalidArgument);
    await w.c.projects.createProjectRole({ projectId: w.projectId, ...auditor }, w.admin);
    expect(await create({})).toBe(Code.AlreadyExists);
  });

  it("are project-local: a slug of another project is an unknown role", async () => {
    const other = await w.newProject();
    await w.c.projects.createProjectRole({ projectId: other, ...auditor }, w.admin);
    const u = await w.newUser();
    expect(await codeOf(w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["auditor"] }, w.admin))).toBe(
      Code.InvalidArgument,
    );
  });
});
