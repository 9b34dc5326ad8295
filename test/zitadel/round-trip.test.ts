// The ZITADEL API and the native API are two views of one store: a write
// through either is read back through the other.
import { beforeAll, describe, expect, it } from "vitest";
import { MembershipStatus } from "../../gen/membership/v1/common_pb.js";
import { useWorld } from "../helpers/fixtures.ts";
import { protocol } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";
import { zitadelClients } from "../helpers/zitadel-client.ts";

describe("ZITADEL and native API round trips", () => {
  // Both APIs over gRPC: what differs is the API, not the wire.
  const w = useWorld({ protocol: protocol("grpc h2c"), per: "suite" }, zitadelClients);
  let org: string;
  beforeAll(async () => {
    org = await w.newOrg();
  });

  const person = { firstName: "Round", lastName: "Tripper" };
  async function projectAndUser() {
    const projectId = await w.newProject("round trip", org);
    const user = await w.newUser(person, org);
    return { projectId, userId: user.id, email: user.email };
  }
  const nativeList = (projectId: string, statuses: MembershipStatus[] = []) =>
    w.c.members.listMemberships({ projectId, filter: { statuses } }, auth(w.ts.adminToken, org));
  const sorted = (roles: { role: string }[]) => roles.map((r) => r.role).sort();

  it("a member added natively is listed by ZITADEL with its roles, names, email and resource owner", async () => {
    const { projectId, userId, email } = await projectAndUser();
    const roles = ["PROJECT_OWNER", "PROJECT_OWNER_VIEWER"];
    await w.c.members.addProjectMember({ projectId, userId, roles }, auth(w.ts.adminToken, org));
    const { result } = await w.zIn(org).listProjectMembers({ projectId });
    expect(result).toHaveLength(1);
    const [m] = result;
    expect(m).toMatchObject({ userId, email, ...person, userResourceOwner: org });
    expect([...m!.roles].sort()).toEqual(roles);
    expect(m!.details?.resourceOwner).toBe(org);
  });

  it("a member added through ZITADEL is listed natively", async () => {
    const { projectId, userId, email } = await projectAndUser();
    await w.zIn(org).addProjectMember({ projectId, userId, roles: ["PROJECT_OWNER_VIEWER"] });
    const { memberships } = await nativeList(projectId);
    expect(memberships).toHaveLength(1);
    const [m] = memberships;
    expect(m).toMatchObject({ userId, projectId, status: MembershipStatus.ACTIVE, user: { email, ...person } });
    expect(sorted(m!.roles)).toEqual(["PROJECT_OWNER_VIEWER"]);
  });

  it("ZITADEL UpdateProjectMember: the native API sees the new roles", async () => {
    const m = await projectAndUser();
    await w.zIn(org).addProjectMember({ ...m, roles: ["PROJECT_OWNER_VIEWER"] });
    await w.zIn(org).updateProjectMember({ ...m, roles: ["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"] });
    const { memberships } = await nativeList(m.projectId);
    expect(sorted(memberships[0]!.roles)).toEqual(["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"]);
  });

  it("native UpdateProjectMember: ZITADEL sees the new roles and a newer sequence", async () => {
    const m = await projectAndUser();
    const added = await w.zIn(org).addProjectMember({ ...m, roles: ["PROJECT_OWNER_VIEWER"] });
    await w.c.members.updateProjectMember({ ...m, roles: ["PROJECT_OWNER"] }, auth(w.ts.adminToken, org));
    const [listed] = (await w.zIn(org).listProjectMembers({ projectId: m.projectId })).result;
    expect(listed?.roles).toEqual(["PROJECT_OWNER"]);
    expect(listed?.details?.sequence).toBeGreaterThan(added.details!.sequence);
  });

  it("ZITADEL RemoveProjectMember: the native list hides it by default and shows it as DEACTIVATED", async () => {
    const m = await projectAndUser();
    await w.zIn(org).addProjectMember({ ...m, roles: ["PROJECT_OWNER"] });
    await w.zIn(org).removeProjectMember(m);
    expect((await nativeList(m.projectId)).memberships).toEqual([]);
    const { memberships } = await nativeList(m.projectId, [MembershipStatus.DEACTIVATED]);
    expect(memberships.map((x) => [x.userId, x.status])).toEqual([[m.userId, MembershipStatus.DEACTIVATED]]);
  });

  it("native RemoveProjectMember: ZITADEL no longer lists the member", async () => {
    const m = await projectAndUser();
    await w.zIn(org).addProjectMember({ ...m, roles: ["PROJECT_OWNER"] });
    await w.c.members.removeProjectMember(m, auth(w.ts.adminToken, org));
    const { result, details } = await w.zIn(org).listProjectMembers({ projectId: m.projectId });
    expect(result).toEqual([]);
    expect(details?.totalResult).toBe(0n);
  });
});
