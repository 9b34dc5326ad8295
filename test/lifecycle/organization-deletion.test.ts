// Renaming and deleting organizations, over gRPC and Connect. An organization
// that still holds projects, users or identities is refused unless the call
// asks to cascade; a cascade removes everything in it in one transaction,
// each effect audited, and fails whole. The audit trail of a deleted
// organization can no longer be listed through the API (no call can act in
// it), so the test reads it from the database (SQLite file or PostgreSQL).
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, take } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { worldsOnPostgres } from "../helpers/postgres.ts";
import { protocols } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";
import { openWorldDb, type WorldDb } from "../helpers/world-db.ts";
import { lastSequence } from "./lifecycle-helpers.ts";

describe.each(protocols("grpc h2c", "connect json h2c"))("organizations over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite", file: !worldsOnPostgres });
  let db: WorldDb;
  beforeAll(async () => void (db = await openWorldDb(w.ts.dbPath)));
  afterAll(() => db?.close());
  const trail = (orgId: string, after: bigint) => db.column("SELECT action FROM audit_events WHERE organization_id = ? AND sequence > ? ORDER BY sequence", orgId, after);
  const asAdminIn = (orgId: string) => auth(w.ts.adminToken, orgId);

  it("renames, keeping an unset name, and names the field of a bad one", async () => {
    const orgId = await w.newOrg("Before");
    const renamed = await w.c.orgs.updateOrganization({ organizationId: orgId, name: "After" }, w.admin);
    expect(renamed.organization!.name).toBe("After");
    expect((await w.c.orgs.updateOrganization({ organizationId: orgId }, w.admin)).organization!.name).toBe("After");
    expect((await w.c.orgs.getOrganization({ organizationId: orgId }, w.admin)).organization!.name).toBe("After");
    const err = await errorOf(w.c.orgs.updateOrganization({ organizationId: orgId, name: " " }, w.admin));
    expect([err.code, err.rawMessage.split(":")[0]]).toEqual([Code.InvalidArgument, "name"]);
    const owner = await w.newUser("owner", orgId);
    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: owner.id }, roles: ["ORG_OWNER"] }, asAdminIn(orgId));
    expect(await codeOf(w.c.orgs.updateOrganization({ organizationId: orgId, name: "Mine" }, auth(owner.token, orgId)))).toBe(Code.PermissionDenied);
  });

  it("refuses a non-empty organization without cascade, naming what it holds, and changes nothing", async () => {
    const orgId = await w.newOrg();
    const projectId = await w.newProject("kept", orgId);
    const user = await w.newUser("kept", orgId);
    const err = await errorOf(w.c.orgs.deleteOrganization({ organizationId: orgId }, w.admin));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(err.rawMessage).toContain("1 project, 1 user and 0 identities");
    expect((await w.c.projects.getProject({ projectId }, asAdminIn(orgId))).project!.id).toBe(projectId);
    expect((await w.c.users.getUser({ userId: user.id }, auth(user.token, orgId))).user!.id).toBe(user.id);
  });

  it("deletes an empty organization; then it is NOT_FOUND and cannot be acted in", async () => {
    const orgId = await w.newOrg();
    const { details } = await w.c.orgs.deleteOrganization({ organizationId: orgId }, w.admin);
    expect(details!.resourceOwner).toBe(orgId);
    expect(await codeOf(w.c.orgs.getOrganization({ organizationId: orgId }, w.admin))).toBe(Code.NotFound);
    expect(await codeOf(w.c.orgs.deleteOrganization({ organizationId: orgId }, w.admin))).toBe(Code.NotFound);
    expect(await codeOf(w.c.projects.listProjects({}, asAdminIn(orgId)))).toBe(Code.PermissionDenied);
    expect(await trail(orgId, 0n)).toEqual(["organization.created", "organization.deleted"]);
  });

  it("refuses the caller's own organization", async () => {
    const err = await errorOf(w.c.orgs.deleteOrganization({ organizationId: w.ts.orgId, cascade: true }, w.admin));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect((await w.c.orgs.getOrganization({ organizationId: w.ts.orgId }, w.admin)).organization!.id).toBe(w.ts.orgId);
  });

  it("cascades: projects, members, roles, principals and their tokens go, each audited, and a watcher sees the ends", async () => {
    const orgId = await w.newOrg();
    const projectId = await w.newProject("inside", orgId);
    await w.c.projects.createProjectRole({ projectId, slug: "custom", name: "Custom", permissions: ["project.read"] }, asAdminIn(orgId));
    const user = await w.newUser("inside", orgId);
    const bot = await w.newIdentity("inside-bot", orgId);
    await w.c.members.addProjectMember({ projectId, userId: user.id, roles: ["custom"] }, asAdminIn(orgId));
    await w.c.members.createIdentityMembership({ projectId, identityId: bot.id }, asAdminIn(orgId));
    // A user of another organization administers this one.
    const guest = await w.newUser("guest");
    await w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: guest.id }, roles: ["ORG_OWNER"] }, asAdminIn(orgId));
    const from = await lastSequence(w, orgId);
    const watcher = take(2, (signal) => w.c.members.watchMemberships({ afterSequence: from }, { ...asAdminIn(orgId), signal }));

    await w.c.orgs.deleteOrganization({ organizationId: orgId, cascade: true }, w.admin);

    expect(await trail(orgId, from)).toEqual([
      "membership.deactivated",
      "membership.deactivated",
      "role.deleted",
      "project.deleted",
      "token.revoked",
      "user.deleted",
      "token.revoked",
      "identity.deleted",
      "org_member.removed",
      "organization.deleted",
    ]);
    expect((await watcher).map((e) => e.event!.action)).toEqual(["membership.deactivated", "membership.deactivated"]);
    expect(await codeOf(w.c.users.getUser({ userId: user.id }, user.as))).toBe(Code.Unauthenticated);
    expect(await codeOf(w.c.identities.getIdentity({ identityId: bot.id }, bot.as))).toBe(Code.Unauthenticated);
    expect(await codeOf(w.c.projects.listProjects({}, auth(guest.token, orgId)))).toBe(Code.PermissionDenied);
    expect((await w.c.users.getUser({ userId: guest.id }, guest.as)).user!.id).toBe(guest.id);
    const left = async (table: string) => (await db.column(`SELECT count(*) FROM ${table} WHERE organization_id = ?`, orgId))[0];
    expect(await Promise.all(["projects", "users", "identities", "tokens", "memberships", "org_members"].map(left))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("fails whole: a cascade that meets an instance administrator writes nothing", async () => {
    const orgId = await w.newOrg();
    const projectId = await w.newProject("survives", orgId);
    const member = await w.newUser("member", orgId);
    await w.c.members.addProjectMember({ projectId, userId: member.id, roles: ["viewer"] }, asAdminIn(orgId));
    // An instance administrator in that organization: only the database makes one besides the bootstrap.
    const admin2 = await w.newUser("zz-admin", orgId);
    await db.run("UPDATE users SET is_instance_admin = TRUE WHERE id = ?", admin2.id);
    const from = await lastSequence(w, orgId);

    const err = await errorOf(w.c.orgs.deleteOrganization({ organizationId: orgId, cascade: true }, w.admin));

    expect(err.code).toBe(Code.FailedPrecondition);
    expect(err.rawMessage).toContain(admin2.id);
    expect(await trail(orgId, from)).toEqual([]);
    expect((await w.c.projects.getProject({ projectId }, member.as)).project!.id).toBe(projectId);
    expect((await w.c.members.listMemberships({ projectId }, asAdminIn(orgId))).memberships.map((m) => m.userId)).toEqual([member.id]);
  });
});
