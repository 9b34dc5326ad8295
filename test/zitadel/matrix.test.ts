// The five ZITADEL project-member RPCs, with ZITADEL's published descriptors,
// over every protocol of the matrix: each answers with the expected value.
import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { PROTOCOLS, startMatrixServer, type MatrixServer } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";

describe.each(PROTOCOLS)("ZITADEL ManagementService over $name", (p) => {
  let s: MatrixServer;
  beforeAll(async () => {
    s = await startMatrixServer(p);
  });
  afterAll(() => s.close());

  it("serves all five project-member RPCs", async () => {
    const admin = auth(s.adminToken);
    const inOrg = auth(s.adminToken, s.orgId);
    const projectId = (await s.client(ProjectService).createProject({ name: "matrix" }, admin)).project!.id;
    const email = "matrix.member@example.com";
    const userId = (await s.client(UserService).createUser({ email, firstName: "Matrix", lastName: "Member" }, admin)).user!.id;
    // createClient(ManagementService, transport) over the protocol's own transport.
    const z = s.client(ManagementService);

    const roles = await z.listProjectMemberRoles({}, admin);
    expect(roles.result).toContain("PROJECT_OWNER");

    const added = await z.addProjectMember({ projectId, userId, roles: ["PROJECT_OWNER_VIEWER"] }, inOrg);
    expect(added.details?.resourceOwner).toBe(s.orgId);
    expect(added.details?.creationDate).toBeDefined();

    const updated = await z.updateProjectMember({ projectId, userId, roles: ["PROJECT_OWNER"] }, inOrg);
    expect(updated.details?.sequence).toBeGreaterThan(added.details!.sequence);

    const listed = await z.listProjectMembers({ projectId, queries: [] }, inOrg);
    expect(listed.details?.totalResult).toBe(1n);
    expect(listed.result.map((m) => [m.userId, m.email, m.roles])).toEqual([[userId, email, ["PROJECT_OWNER"]]]);

    const removed = await z.removeProjectMember({ projectId, userId }, inOrg);
    expect(removed.details?.sequence).toBeGreaterThan(updated.details!.sequence);
    expect((await z.listProjectMembers({ projectId }, inOrg)).result).toEqual([]);
  });
});
