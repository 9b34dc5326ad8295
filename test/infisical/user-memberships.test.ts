// Infisical's user membership list, GET /api/v1/workspace/{workspaceId}/memberships:
// the project's users as the native API adds them, in Infisical's shape,
// over fetch and a raw HTTP/1.1 request, ZITADEL-style and temporary roles
// included; identity members are not users and stay out of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, REST_CLIENTS } from "../helpers/rest-clients.ts";
import { startWorld, temporaryRole, type World } from "../helpers/fixtures.ts";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("Infisical user memberships", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.close());

  it.each(REST_CLIENTS.slice(0, 2).map((c) => [c.name, c] as const))("lists every user member with %s, field by field", async (_name, client) => {
    const rest = client.make(w.ts.url);
    const projectId = await w.newProject();
    const grace = await w.newUser({ firstName: "Grace", lastName: "Hopper", email: `grace.${projectId}@example.com` });
    const start = Date.parse("2031-05-06T07:08:09.000Z");
    await w.c.members.addProjectMember({ projectId, userId: grace.id, roles: ["PROJECT_OWNER"], roleAssignments: [temporaryRole("member", "2d", start)] }, w.admin);
    const bot = await w.newIdentity();
    await w.c.members.createIdentityMembership({ projectId, identityId: bot.id, role: "viewer" }, w.admin);

    const r = await rest("GET", `/api/v1/workspace/${projectId}/memberships`, { headers: bearer(w.ts.adminToken) });
    expect(r.status).toBe(200);
    const native = (await w.c.members.listMemberships({ projectId }, w.admin)).memberships.find((m) => m.userId === grace.id)!;
    const roleId = (role: string) => native.roles.find((x) => x.role === role)!.id;
    expect(r.json).toEqual({
      memberships: [
        {
          id: native.id,
          createdAt: expect.stringMatching(ISO),
          userId: grace.id,
          projectId,
          user: { email: grace.email, firstName: "Grace", lastName: "Hopper", id: grace.id, username: grace.email, publicKey: null },
          roles: expect.arrayContaining([
            {
              id: roleId("PROJECT_OWNER"), role: "PROJECT_OWNER", customRoleId: null, customRoleName: null, customRoleSlug: null,
              isTemporary: false, temporaryMode: null, temporaryRange: null, temporaryAccessStartTime: null, temporaryAccessEndTime: null,
            },
            {
              id: roleId("member"), role: "member", customRoleId: null, customRoleName: null, customRoleSlug: null,
              isTemporary: true, temporaryMode: "relative", temporaryRange: "2d",
              temporaryAccessStartTime: "2031-05-06T07:08:09.000Z", temporaryAccessEndTime: "2031-05-08T07:08:09.000Z",
            },
          ]),
        },
      ],
    });
    expect(r.json.memberships[0].roles).toHaveLength(2);
  });

  it("a project member with project.member.read lists; the list is the same for the header naming the caller's own organization", async () => {
    const rest = REST_CLIENTS[0]!.make(w.ts.url);
    const projectId = await w.newProject();
    const reader = await w.newUser();
    await w.c.members.addProjectMember({ projectId, userId: reader.id, roles: ["member"] }, w.admin);
    const path = `/api/v1/workspace/${projectId}/memberships`;
    const plain = await rest("GET", path, { headers: bearer(reader.token) });
    expect(plain.status).toBe(200);
    expect(plain.json.memberships.map((m: { userId: string }) => m.userId)).toEqual([reader.id]);
    expect((await rest("GET", path, { headers: bearer(reader.token, w.ts.orgId) })).json).toEqual(plain.json);
  });
});
