// A restart on the same database file keeps every row and does not
// bootstrap again, so the first start's admin token still works.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/app.ts";
import { createLogger } from "../../src/logger.ts";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { auth, startTestServer, testConfig } from "../helpers/server.ts";

const dirs: string[] = [];
const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const transportFor = (url: string) => createConnectTransport({ baseUrl: url, httpVersion: "1.1", useBinaryFormat: true });

describe("persistence across restarts", () => {
  it("keeps projects and members in the database file and bootstraps only once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "membership-persist-"));
    dirs.push(dir);
    const db = join(dir, "m.db");

    const first = await startTestServer({ db });
    const admin = auth(first.adminToken);
    const t1 = transportFor(first.url);
    const project = (await createClient(ProjectService, t1).createProject({ name: "Durable", description: "kept" }, admin)).project!;
    const user = (await createClient(UserService, t1).createUser({ email: "keep@example.com", firstName: "K", lastName: "P" }, admin))
      .user!;
    const added = await createClient(MembershipService, t1).addProjectMember({ projectId: project.id, userId: user.id, roles: ["member"] }, admin);
    await first.close();

    const logs: string[] = [];
    const second = await startServer(testConfig({ db }), { logger: createLogger("debug", (l) => logs.push(l)) });
    running.push(second);
    expect(second.bootstrap).toBeNull();
    const t2 = transportFor(second.url);

    const orgs = await createClient(OrganizationService, t2).listOrganizations({}, admin);
    expect(orgs.organizations.map((o) => o.id)).toEqual([first.orgId]);
    const users = await createClient(UserService, t2).listUsers({}, admin);
    expect(users.users.map((u) => u.id)).toEqual([first.adminUserId, user.id]);

    const got = (await createClient(ProjectService, t2).getProject({ projectId: project.id }, admin)).project!;
    expect(got).toMatchObject({ id: project.id, name: "Durable", description: "kept", organizationId: first.orgId });
    expect(got.createdAt).toEqual(project.createdAt);

    const members = await createClient(MembershipService, t2).listMemberships({ projectId: project.id }, admin);
    expect(members.memberships.map((m) => [m.userId, m.user?.email, m.roles.map((r) => r.role)])).toEqual([
      [user.id, "keep@example.com", ["member"]],
    ]);

    // Sequences continue after the restart rather than starting over.
    const other = (await createClient(UserService, t2).createUser({ email: "new@example.com", firstName: "N", lastName: "W" }, admin)).user!;
    const next = await createClient(MembershipService, t2).addProjectMember({ projectId: project.id, userId: other.id, roles: ["viewer"] }, admin);
    expect(next.details!.sequence).toBeGreaterThan(added.details!.sequence);
    expect(logs.join("\n")).not.toContain(first.adminToken);
  });
});
