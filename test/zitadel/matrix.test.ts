// The five ZITADEL project-member RPCs, with ZITADEL's published descriptors,
// over every protocol of the matrix: each answers with the expected value.
import { describe, expect, it } from "vitest";
import { useWorld } from "../helpers/fixtures.ts";
import { PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";
import { zitadelClients } from "../helpers/zitadel-client.ts";

describe.each(PROTOCOLS)("ZITADEL ManagementService over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite" }, zitadelClients);

  it("serves all five project-member RPCs", async () => {
    const admin = w.admin;
    const inOrg = auth(w.ts.adminToken, w.ts.orgId);
    const projectId = await w.newProject("matrix");
    const email = "matrix.member@example.com";
    const userId = (await w.newUser({ email, firstName: "Matrix", lastName: "Member" })).id;
    // createClient(ManagementService, transport) over the protocol's own transport.
    const z = w.zitadel;

    const roles = await z.listProjectMemberRoles({}, admin);
    expect(roles.result).toContain("PROJECT_OWNER");

    const added = await z.addProjectMember({ projectId, userId, roles: ["PROJECT_OWNER_VIEWER"] }, inOrg);
    expect(added.details?.resourceOwner).toBe(w.ts.orgId);
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
