// A user or identity of another organization answers exactly as an id that
// exists nowhere, on every membership write that takes one: same code, same
// message once the id is set aside, same ZITADEL error id. Otherwise a caller
// could learn which ids exist in organizations it cannot see.
import { beforeAll, describe, expect, it } from "vitest";
import { errorOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { zitadelClients, zitadelErrorOf } from "../helpers/zitadel-client.ts";

const w = useWorld({ per: "suite" }, zitadelClients);
let foreignUser: string;
let foreignIdentity: string;
// Ids of the same shape as real ones that no organization holds.
const NOWHERE = "1700000000000123456";

beforeAll(async () => {
  const other = await w.newOrg();
  foreignUser = (await w.newUser("foreign", other)).id;
  foreignIdentity = (await w.newIdentity("foreign-bot", other)).id;
});

/** Code and message of a call that must fail, with the id it was about replaced. */
async function answer(call: Promise<unknown>, id: string) {
  const err = await errorOf(call);
  return { code: err.code, message: err.rawMessage.replaceAll(id, "<id>") };
}

const WRITES: [string, (id: string) => Promise<unknown>][] = [
  ["AddProjectMember", (id) => w.c.members.addProjectMember({ projectId: w.projectId, userId: id, roles: ["viewer"] }, w.admin)],
  ["InviteProjectMember", (id) => w.c.members.inviteProjectMember({ projectId: w.projectId, userId: id }, w.admin)],
  ["UpdateProjectMember", (id) => w.c.members.updateProjectMember({ projectId: w.projectId, userId: id, roles: ["viewer"] }, w.admin)],
  ["RemoveProjectMember", (id) => w.c.members.removeProjectMember({ projectId: w.projectId, userId: id }, w.admin)],
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
    expect(foreign).toEqual(nowhere);
  });

  it.each(IDENTITY_WRITES)("%s with an identity id", async (_name, call) => {
    const [foreign, nowhere] = [await answer(call(foreignIdentity), foreignIdentity), await answer(call(NOWHERE), NOWHERE)];
    expect(foreign).toEqual(nowhere);
  });

  it("ZITADEL's AddProjectMember gives the same code and error id", async () => {
    const [foreign, nowhere] = await Promise.all([
      zitadelErrorOf(w.zitadel.addProjectMember({ projectId: w.projectId, userId: foreignUser, roles: ["PROJECT_OWNER_VIEWER"] }, w.admin)),
      zitadelErrorOf(w.zitadel.addProjectMember({ projectId: w.projectId, userId: NOWHERE, roles: ["PROJECT_OWNER_VIEWER"] }, w.admin)),
    ]);
    expect({ ...foreign, message: foreign.message.replaceAll(foreignUser, "<id>"), detail: foreign.detail?.id }).toEqual({
      ...nowhere,
      message: nowhere.message.replaceAll(NOWHERE, "<id>"),
      detail: nowhere.detail?.id,
    });
  });
});
