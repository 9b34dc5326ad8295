// An invalid role is reported under the field the client sent it in: the
// domain takes one role list, and each API names its parts as its clients
// know them (role_assignments[i], role, roles[i]).
import { Code, ConnectError } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TemporaryMode } from "../../gen/membership/v1/common_pb.js";
import { createWorld, type World } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let ts: TestServer;
let w: World;
beforeAll(async () => {
  ts = await startTestServer();
  w = await createWorld(ts);
});
afterAll(() => ts.close());

/** The rejection's message, which starts with the field it names. */
async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e),
  );
  expect(err?.code).toBe(Code.InvalidArgument);
  return err!.rawMessage;
}

const temporary = (role: string, range: string) => ({
  role,
  isTemporary: true,
  temporaryMode: TemporaryMode.RELATIVE,
  temporaryRange: range,
  temporaryAccessStartTime: timestampFromMs(Date.now()),
});

describe("AddProjectMember", () => {
  it("names a bad role assignment role_assignments[i], counted apart from roles", async () => {
    const u = await w.newUser();
    const req = { projectId: w.projectId, userId: u.id, roles: ["viewer", "no-access"], roleAssignments: [temporary("admin", "3h"), temporary("member", "soon")] };
    expect(await refusal(w.c.members.addProjectMember(req, w.admin))).toMatch(/^role_assignments\[1\]\.temporary_range: /);
  });

  it("names an unknown role assignment role_assignments[i].role", async () => {
    const u = await w.newUser();
    const req = { projectId: w.projectId, userId: u.id, roles: ["viewer"], roleAssignments: [temporary("no-such-role", "3h")] };
    expect(await refusal(w.c.members.addProjectMember(req, w.admin))).toMatch(/^role_assignments\[0\]\.role: unknown role/);
  });

  it("names a bad permanent role roles[i]", async () => {
    const u = await w.newUser();
    const req = { projectId: w.projectId, userId: u.id, roles: ["viewer", "no-such-role"] };
    expect(await refusal(w.c.members.addProjectMember(req, w.admin))).toMatch(/^roles\[1\]\.role: unknown role/);
  });
});

describe("CreateIdentityMembership", () => {
  it("names the single role field role", async () => {
    const bot = await w.newIdentity();
    const req = { projectId: w.projectId, identityId: bot.id, role: "no-such-role" };
    expect(await refusal(w.c.members.createIdentityMembership(req, w.admin))).toMatch(/^role: unknown role/);
  });

  it("names an entry of the roles list roles[i]", async () => {
    const bot = await w.newIdentity();
    const req = { projectId: w.projectId, identityId: bot.id, roles: [temporary("viewer", "1h"), temporary("member", "forever")] };
    expect(await refusal(w.c.members.createIdentityMembership(req, w.admin))).toMatch(/^roles\[1\]\.temporary_range: /);
  });
});
