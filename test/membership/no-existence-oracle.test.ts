// A user or identity of another organization answers exactly as an id that
// exists nowhere, on every membership write that takes one: same code, same
// message once the id is set aside, same ZITADEL error id. Otherwise a caller
// could learn which ids exist in organizations it cannot see.
import { ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectTransport, createWorld, type World } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { managementClient, zitadelErrorOf, type ManagementClient } from "../helpers/zitadel-client.ts";
import { v2Clients, type V2Clients } from "../helpers/zitadel-v2-client.ts";

let ts: TestServer;
let w: World;
let z: ManagementClient;
let v2: V2Clients;
let foreignUser: string;
let foreignIdentity: string;
// Ids of the same shape as real ones that no organization holds.
const NOWHERE = "1700000000000123456";

beforeAll(async () => {
  ts = await startTestServer();
  w = await createWorld(ts);
  z = managementClient(connectTransport(ts));
  v2 = v2Clients(connectTransport(ts));
  const other = await w.newOrg();
  foreignUser = (await w.newUser("foreign", other)).id;
  foreignIdentity = (await w.newIdentity("foreign-bot", other)).id;
});
afterAll(() => ts.close());

/** Code and message of a failed call, with the id it was about replaced. */
async function answer(call: Promise<unknown>, id: string) {
  const err = await call.then(
    () => null,
    (e: unknown) => ConnectError.from(e),
  );
  return err && { code: err.code, message: err.rawMessage.replaceAll(id, "<id>") };
}

const onProject = () => ({ resource: { case: "projectId" as const, value: w.projectId } });
const WRITES: [string, (id: string) => Promise<unknown>][] = [
  ["AddProjectMember", (id) => w.c.members.addProjectMember({ projectId: w.projectId, userId: id, roles: ["viewer"] }, w.admin)],
  ["InviteProjectMember", (id) => w.c.members.inviteProjectMember({ projectId: w.projectId, userId: id }, w.admin)],
  ["UpdateProjectMember", (id) => w.c.members.updateProjectMember({ projectId: w.projectId, userId: id, roles: ["viewer"] }, w.admin)],
  ["RemoveProjectMember", (id) => w.c.members.removeProjectMember({ projectId: w.projectId, userId: id }, w.admin)],
  ["ZITADEL v2 CreateAdministrator", (id) => v2.perms.createAdministrator({ userId: id, resource: onProject(), roles: ["PROJECT_OWNER_VIEWER"] }, w.admin)],
  ["ZITADEL v2 UpdateAdministrator", (id) => v2.perms.updateAdministrator({ userId: id, resource: onProject(), roles: ["PROJECT_OWNER_VIEWER"] }, w.admin)],
  ["ZITADEL v2 CreateAuthorization", (id) => v2.authz.createAuthorization({ userId: id, projectId: w.projectId, roleKeys: ["viewer"] }, w.admin)],
  ["CheckAccess of another", (id) => w.c.members.checkAccess({ projectId: w.projectId, subject: { case: "userId", value: id }, permission: "project.read" }, w.admin)],
];
const IDENTITY_WRITES: [string, (id: string) => Promise<unknown>][] = [
  ["CreateIdentityMembership", (id) => w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: id }, w.admin)],
  ["GetIdentityMembership", (id) => w.c.members.getIdentityMembership({ projectId: w.projectId, identityId: id }, w.admin)],
  ["UpdateIdentityMembership", (id) => w.c.members.updateIdentityMembership({ projectId: w.projectId, identityId: id, roles: [{ role: "viewer" }] }, w.admin)],
  ["DeleteIdentityMembership", (id) => w.c.members.deleteIdentityMembership({ projectId: w.projectId, identityId: id }, w.admin)],
];

describe("another organization's principals answer as ids that exist nowhere", () => {
  it.each(WRITES)("%s with a user id", async (_name, call) => {
    const [foreign, nowhere] = [await answer(call(foreignUser), foreignUser), await answer(call(NOWHERE), NOWHERE)];
    expect(nowhere).not.toBeNull();
    expect(foreign).toEqual(nowhere);
  });

  it.each(IDENTITY_WRITES)("%s with an identity id", async (_name, call) => {
    const [foreign, nowhere] = [await answer(call(foreignIdentity), foreignIdentity), await answer(call(NOWHERE), NOWHERE)];
    expect(nowhere).not.toBeNull();
    expect(foreign).toEqual(nowhere);
  });

  it("ZITADEL's AddProjectMember gives the same code and error id", async () => {
    const [foreign, nowhere] = await Promise.all([
      zitadelErrorOf(z.addProjectMember({ projectId: w.projectId, userId: foreignUser, roles: ["PROJECT_OWNER_VIEWER"] }, w.admin)),
      zitadelErrorOf(z.addProjectMember({ projectId: w.projectId, userId: NOWHERE, roles: ["PROJECT_OWNER_VIEWER"] }, w.admin)),
    ]);
    expect({ ...foreign, message: foreign.message.replaceAll(foreignUser, "<id>"), detail: foreign.detail?.id }).toEqual({
      ...nowhere,
      message: nowhere.message.replaceAll(NOWHERE, "<id>"),
      detail: nowhere.detail?.id,
    });
  });
});
