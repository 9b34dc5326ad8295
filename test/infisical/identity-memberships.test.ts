// Infisical's identity membership paths, round trips with plain HTTP clients
// (fetch, a request written by hand on a socket, node:http2): every answer
// compared field by field with the shapes of Infisical's API reference, and
// every change read back through the native API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrincipalType } from "../../gen/membership/v1/common_pb.js";
import { bearer, REST_CLIENTS, type RestCall } from "../helpers/rest-clients.ts";
import { startWorld, type World } from "../helpers/fixtures.ts";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const iso = expect.stringMatching(ISO);
const anId = expect.stringMatching(/^\S+$/);

/** A role as the lists write it, for the role fields given. */
const listedRole = (fields: Record<string, unknown>) => ({
  id: anId,
  customRoleId: null,
  customRoleName: null,
  customRoleSlug: null,
  isTemporary: false,
  temporaryMode: null,
  temporaryRange: null,
  temporaryAccessStartTime: null,
  temporaryAccessEndTime: null,
  ...fields,
});

describe.each(REST_CLIENTS)("Infisical identity memberships with $name", (client) => {
  let w: World;
  let rest: RestCall;
  let admin: Record<string, string>;
  beforeAll(async () => {
    w = await startWorld();
    rest = client.make(w.ts.url);
    admin = bearer(w.ts.adminToken);
  });
  afterAll(() => w.close());

  for (const base of ["/api/v1/projects", "/api/v2/workspace"]) {
    it(`${base}: POST, PATCH, GET list and DELETE, each answer in Infisical's shape and each change seen natively`, async () => {
      const projectId = await w.newProject("Vault");
      const bot = await w.newIdentity("deploy-bot");
      const path = `${base}/${projectId}/identity-memberships/${bot.id}`;

      const created = await rest("POST", path, { headers: admin, body: { role: "viewer" } });
      expect(created.status).toBe(200);
      expect(created.json).toEqual({ identityMembership: { id: anId, projectId, identityId: bot.id, createdAt: iso, updatedAt: iso } });
      const membershipId = created.json.identityMembership.id;
      const native = await w.c.members.listMemberships({ projectId }, w.admin);
      expect(native.memberships.map((m) => [m.id, m.principalType, m.identityId, m.roles.map((r) => r.role)])).toEqual([
        [membershipId, PrincipalType.IDENTITY, bot.id, ["viewer"]],
      ]);

      const start = "2030-01-02T03:04:05.000Z";
      const patched = await rest("PATCH", path, {
        headers: admin,
        body: { roles: [{ role: "member", isTemporary: false }, { role: "admin", isTemporary: true, temporaryMode: "relative", temporaryRange: "3h", temporaryAccessStartTime: start }] },
      });
      expect(patched.status).toBe(200);
      const patchedRole = (fields: Record<string, unknown>) => ({ ...listedRole(fields), projectMembershipId: membershipId, createdAt: iso, updatedAt: iso });
      expect(patched.json).toEqual({
        roles: expect.arrayContaining([
          patchedRole({ role: "member" }),
          patchedRole({ role: "admin", isTemporary: true, temporaryMode: "relative", temporaryRange: "3h", temporaryAccessStartTime: start, temporaryAccessEndTime: "2030-01-02T06:04:05.000Z" }),
        ]),
      });
      expect(patched.json.roles).toHaveLength(2);

      const listed = await rest("GET", `${base}/${projectId}/identity-memberships`, { headers: admin });
      expect(listed.status).toBe(200);
      expect(listed.json).toEqual({
        identityMemberships: [
          {
            id: membershipId,
            identityId: bot.id,
            createdAt: created.json.identityMembership.createdAt,
            updatedAt: iso,
            roles: expect.arrayContaining([
              listedRole({ role: "member" }),
              listedRole({ role: "admin", isTemporary: true, temporaryMode: "relative", temporaryRange: "3h", temporaryAccessStartTime: start, temporaryAccessEndTime: "2030-01-02T06:04:05.000Z" }),
            ]),
            identity: { name: "deploy-bot", id: bot.id, projectId: null, orgId: w.ts.orgId, authMethods: [] },
            project: { name: "Vault", id: projectId },
          },
        ],
        totalCount: 1,
      });

      const deleted = await rest("DELETE", path, { headers: admin });
      expect(deleted.status).toBe(200);
      expect(deleted.json).toEqual({ identityMembership: { id: membershipId, projectId, identityId: bot.id, createdAt: created.json.identityMembership.createdAt, updatedAt: iso } });
      expect((await w.c.members.listMemberships({ projectId }, w.admin)).memberships).toEqual([]);
      expect((await rest("GET", `${base}/${projectId}/identity-memberships`, { headers: admin })).json).toEqual({ identityMemberships: [], totalCount: 0 });
    });
  }

  it("POST without roles grants no-access; roles win over role; a custom role reads back as Infisical writes one", async () => {
    const projectId = await w.newProject();
    const { role } = await w.c.projects.createProjectRole({ projectId, slug: "deployer", name: "Deployer", permissions: ["project.read"] }, w.admin);
    const [a, b] = [await w.newIdentity("a"), await w.newIdentity("b")];
    const base = `/api/v1/projects/${projectId}/identity-memberships`;
    expect((await rest("POST", `${base}/${a.id}`, { headers: admin })).status).toBe(200);
    expect((await rest("POST", `${base}/${b.id}`, { headers: admin, body: { role: "admin", roles: [{ role: "deployer" }] } })).status).toBe(200);
    const listed = (await rest("GET", base, { headers: admin })).json;
    expect(listed.identityMemberships.map((m: { identity: { name: string }; roles: unknown[] }) => [m.identity.name, m.roles])).toEqual([
      ["a", [listedRole({ role: "no-access" })]],
      ["b", [listedRole({ role: "custom", customRoleId: role!.id, customRoleName: "Deployer", customRoleSlug: "deployer" })]],
    ]);
    const native = await w.c.members.listMemberships({ projectId }, w.admin);
    expect(native.memberships.map((m) => m.roles.map((r) => r.role)).sort()).toEqual([["deployer"], ["no-access"]]);
  });

  it("lists by name with offset, limit, orderDirection and search, the total counting every match", async () => {
    const projectId = await w.newProject();
    for (const name of ["carol-ci", "alice-ci", "bob-deploy", "dave-ci"]) {
      const i = await w.newIdentity(name);
      await w.c.members.createIdentityMembership({ projectId, identityId: i.id, role: "viewer" }, w.admin);
    }
    const names = async (query: string) => {
      const r = await rest("GET", `/api/v1/projects/${projectId}/identity-memberships${query}`, { headers: admin });
      expect(r.status).toBe(200);
      return [r.json.identityMemberships.map((m: { identity: { name: string } }) => m.identity.name), r.json.totalCount];
    };
    expect(await names("")).toEqual([["alice-ci", "bob-deploy", "carol-ci", "dave-ci"], 4]);
    expect(await names("?orderBy=name&orderDirection=desc&limit=2")).toEqual([["dave-ci", "carol-ci"], 4]);
    expect(await names("?search=CI&offset=1&limit=1")).toEqual([["carol-ci"], 3]);
    expect(await names("?offset=10")).toEqual([[], 4]);
  });

  it("a machine identity with its own token manages members, as Infisical's identity access tokens do; what the native API writes, Infisical's PATCH replaces", async () => {
    const projectId = await w.newProject();
    const ci = await w.newIdentity("ci");
    await w.c.members.createIdentityMembership({ projectId, identityId: ci.id, role: "admin" }, w.admin);
    const worker = await w.newIdentity("worker");
    await w.c.members.createIdentityMembership({ projectId, identityId: worker.id, role: "viewer" }, w.admin);
    const path = `/api/v1/projects/${projectId}/identity-memberships/${worker.id}`;
    const patched = await rest("PATCH", path, { headers: bearer(ci.token), body: { roles: [{ role: "member" }] } });
    expect([patched.status, patched.json.roles.map((r: { role: string }) => r.role)]).toEqual([200, ["member"]]);
    const native = await w.c.members.getIdentityMembership({ projectId, identityId: worker.id }, w.admin);
    expect(native.identityMembership!.roles.map((r) => [r.id, r.role])).toEqual([[patched.json.roles[0].id, "member"]]);
  });
});
