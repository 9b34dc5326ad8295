// The organization a call acts in, from the x-zitadel-orgid header: the
// caller's own org by default, another only where the caller holds a role,
// and never a silent fallback. Checked over Connect JSON and over gRPC.
import { Code } from "@connectrpc/connect";
import { beforeEach, describe, expect, it } from "vitest";
import { codeOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { protocols } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";

const SCOPE_PROTOCOLS = protocols("grpc h2c", "connect json h2c");
const MISSING_ORG = "9999999999999999999";

describe.each(SCOPE_PROTOCOLS)("organization scope over $name", (protocol) => {
  const w = useWorld({ protocol });
  let org2: string;
  let user: { id: string; token: string };
  let org2Project: string;

  beforeEach(async () => {
    org2 = await w.newOrg("Org two");
    user = await w.newUser({ email: "plain@example.com", firstName: "P", lastName: "U" });
    org2Project = await w.newProject("Theirs", org2);
  });

  const getSelf = (orgId?: string) => w.c.users.getUser({ userId: user.id }, auth(user.token, orgId));

  it("acts in the caller's own organization when the header is absent or empty", async () => {
    expect((await getSelf()).user?.organizationId).toBe(w.ts.orgId);
    const empty = await w.c.users.getUser({ userId: user.id }, { headers: { ...auth(user.token).headers, "x-zitadel-orgid": "" } });
    expect(empty.user?.organizationId).toBe(w.ts.orgId);
    const tokens = await w.c.tokens.listTokens({}, auth(user.token));
    expect(tokens.tokens.map((t) => t.organizationId)).toEqual([w.ts.orgId]);
  });

  it("accepts the header naming the caller's own organization", async () => {
    expect((await getSelf(w.ts.orgId)).user?.organizationId).toBe(w.ts.orgId);
  });

  it("refuses an organization where the caller holds no role with PermissionDenied", async () => {
    expect(await codeOf(getSelf(org2))).toBe(Code.PermissionDenied);
    expect(await codeOf(w.c.projects.listProjects({}, auth(user.token, org2)))).toBe(Code.PermissionDenied);
    expect(await codeOf(w.c.projects.getProject({ projectId: org2Project }, auth(user.token, org2)))).toBe(
      Code.PermissionDenied,
    );
  });

  it("refuses an organization that does not exist with PermissionDenied, for users and the admin alike", async () => {
    for (const orgId of [MISSING_ORG, "not-an-org", "x".repeat(300)]) {
      expect(await codeOf(getSelf(orgId))).toBe(Code.PermissionDenied);
      expect(await codeOf(w.c.projects.listProjects({}, auth(w.ts.adminToken, orgId)))).toBe(Code.PermissionDenied);
    }
  });

  it("answers NotFound for a project of another organization fetched from the own org scope", async () => {
    expect(await codeOf(w.c.projects.getProject({ projectId: org2Project }, auth(w.ts.adminToken)))).toBe(Code.NotFound);
    expect(await codeOf(w.c.projects.getProject({ projectId: org2Project }, auth(w.ts.adminToken, w.ts.orgId)))).toBe(
      Code.NotFound,
    );
    // A caller that may read no project at all is refused before the id is looked at.
    expect(await codeOf(w.c.projects.getProject({ projectId: org2Project }, auth(user.token)))).toBe(Code.PermissionDenied);
    const own = await w.c.projects.listProjects({}, auth(w.ts.adminToken));
    expect(own.projects.map((p) => p.id)).not.toContain(org2Project);
  });

  it("lets the instance admin act in any organization by header", async () => {
    const got = await w.c.projects.getProject({ projectId: org2Project }, auth(w.ts.adminToken, org2));
    expect(got.project?.organizationId).toBe(org2);
    const listed = await w.c.projects.listProjects({}, auth(w.ts.adminToken, org2));
    expect(listed.projects.map((p) => p.id)).toEqual([org2Project]);
  });
});
