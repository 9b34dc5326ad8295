// The organization a call acts in, from the x-zitadel-orgid header: the
// caller's own org by default, another only where the caller holds a role,
// and never a silent fallback. Checked over Connect JSON and over gRPC.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { TokenService } from "../../gen/membership/v1/token_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { codeOf, PROTOCOLS, startMatrixServer, type MatrixServer } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";

const SCOPE_PROTOCOLS = PROTOCOLS.filter((p) => p.name === "connect json h2c" || p.name === "grpc h2c");
const MISSING_ORG = "9999999999999999999";

describe.each(SCOPE_PROTOCOLS)("organization scope over $name", (protocol) => {
  let s: MatrixServer;
  let org2: string;
  let user: { id: string; token: string };
  let org2Project: string;

  beforeEach(async () => {
    s = await startMatrixServer(protocol);
    const admin = auth(s.adminToken);
    org2 = (await s.client(OrganizationService).createOrganization({ name: "Org two" }, admin)).organization!.id;
    const u = (await s.client(UserService).createUser({ email: "plain@example.com", firstName: "P", lastName: "U" }, admin)).user!;
    const token = (await s.client(TokenService).createToken({ principal: { case: "userId", value: u.id } }, admin)).secret;
    user = { id: u.id, token };
    org2Project = (await s.client(ProjectService).createProject({ name: "Theirs" }, auth(s.adminToken, org2))).project!.id;
  });
  afterEach(async () => {
    await s.close();
  });

  const getSelf = (orgId?: string) => s.client(UserService).getUser({ userId: user.id }, auth(user.token, orgId));

  it("acts in the caller's own organization when the header is absent or empty", async () => {
    expect((await getSelf()).user?.organizationId).toBe(s.orgId);
    const empty = await s.client(UserService).getUser({ userId: user.id }, { headers: { ...auth(user.token).headers, "x-zitadel-orgid": "" } });
    expect(empty.user?.organizationId).toBe(s.orgId);
    const tokens = await s.client(TokenService).listTokens({}, auth(user.token));
    expect(tokens.tokens.map((t) => t.organizationId)).toEqual([s.orgId]);
  });

  it("accepts the header naming the caller's own organization", async () => {
    expect((await getSelf(s.orgId)).user?.organizationId).toBe(s.orgId);
  });

  it("refuses an organization where the caller holds no role with PermissionDenied", async () => {
    expect(await codeOf(getSelf(org2))).toBe("PermissionDenied");
    expect(await codeOf(s.client(ProjectService).listProjects({}, auth(user.token, org2)))).toBe("PermissionDenied");
    expect(await codeOf(s.client(ProjectService).getProject({ projectId: org2Project }, auth(user.token, org2)))).toBe(
      "PermissionDenied",
    );
  });

  it("refuses an organization that does not exist with PermissionDenied, for users and the admin alike", async () => {
    for (const orgId of [MISSING_ORG, "not-an-org", "x".repeat(300)]) {
      expect(await codeOf(getSelf(orgId))).toBe("PermissionDenied");
      expect(await codeOf(s.client(ProjectService).listProjects({}, auth(s.adminToken, orgId)))).toBe("PermissionDenied");
    }
  });

  it("answers NotFound for a project of another organization fetched from the own org scope", async () => {
    expect(await codeOf(s.client(ProjectService).getProject({ projectId: org2Project }, auth(s.adminToken)))).toBe("NotFound");
    expect(await codeOf(s.client(ProjectService).getProject({ projectId: org2Project }, auth(s.adminToken, s.orgId)))).toBe(
      "NotFound",
    );
    // A caller that may read no project at all is refused before the id is looked at.
    expect(await codeOf(s.client(ProjectService).getProject({ projectId: org2Project }, auth(user.token)))).toBe("PermissionDenied");
    const own = await s.client(ProjectService).listProjects({}, auth(s.adminToken));
    expect(own.projects.map((p) => p.id)).not.toContain(org2Project);
  });

  it("lets the instance admin act in any organization by header", async () => {
    const got = await s.client(ProjectService).getProject({ projectId: org2Project }, auth(s.adminToken, org2));
    expect(got.project?.organizationId).toBe(org2);
    const listed = await s.client(ProjectService).listProjects({}, auth(s.adminToken, org2));
    expect(listed.projects.map((p) => p.id)).toEqual([org2Project]);
  });
});
