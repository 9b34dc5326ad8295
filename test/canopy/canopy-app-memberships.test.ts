// Canopy's AppMembership paths, with plain fetch against a real server: the
// shapes of its page (201 with the AppMembership object, its four statuses),
// its errors (400, 401, 403, 404, 409) in this server's Canopy error body,
// the lifecycle, the account slug against x-zitadel-orgid, and that the
// native API sees what Canopy wrote and the reverse.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MembershipStatus, PrincipalType } from "../../gen/membership/v1/common_pb.js";
import { exchange } from "../helpers/raw-exchange.ts";
import { createWorld, type Principal, type World } from "../helpers/fixtures.ts";
import { auth, startTestServer, type TestServer } from "../helpers/server.ts";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("Canopy app memberships", () => {
  let ts: TestServer;
  let w: World;
  let accountId: string;
  let bot: Principal;
  let appId: string;
  const slug = "acme";
  const base = (identityId: string, account = slug) => `${ts.url}/portal/v1/accounts/${account}/identities/${identityId}/app-memberships`;

  async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, token: string | null = ts.adminToken) {
    const h: Record<string, string> = { ...headers };
    if (token !== null) h["authorization"] = `Bearer ${token}`;
    if (body !== undefined) h["content-type"] = "application/json";
    const res = await fetch(url, { method, headers: h, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text === "" ? undefined : JSON.parse(text) };
  }
  const add = (identityId: string, applicationId: string) => call("POST", base(identityId), { application_id: applicationId });

  beforeAll(async () => {
    ts = await startTestServer();
    w = await createWorld(ts);
    accountId = (await w.c.orgs.createOrganization({ name: "Acme", slug }, w.admin)).organization!.id;
    bot = await w.newIdentity("deploy-bot", accountId);
    appId = await w.newProject("Storefront", accountId);
  });
  afterAll(() => w.close());

  describe("POST …/app-memberships", () => {
    it("answers 201 with the AppMembership object, field by field, and GET reads the same", async () => {
      const res = await add(bot.id, appId);
      expect(res.status).toBe(201);
      const m = res.json;
      expect(Object.keys(m).sort()).toEqual(["activated_at", "application_id", "created_at", "deactivated_at", "id", "identity_id", "invited_at", "status"]);
      expect(m).toEqual({
        id: expect.any(String),
        identity_id: bot.id,
        application_id: appId,
        status: "active",
        invited_at: null,
        activated_at: m.created_at,
        deactivated_at: null,
        created_at: expect.stringMatching(ISO),
      });
      expect((await call("GET", `${base(bot.id)}/${m.id}`)).json).toEqual(m);
      expect((await call("GET", base(bot.id))).json).toEqual({ app_memberships: [m] });
    });

    it("takes a user of the account as the identity too", async () => {
      const ada = await w.newUser("ada", accountId);
      const res = await add(ada.id, appId);
      expect([res.status, res.json.identity_id, res.json.status]).toEqual([201, ada.id, "active"]);
    });

    it("answers 409 when the identity is already an active member", async () => {
      const other = await w.newIdentity("dup-bot", accountId);
      expect((await add(other.id, appId)).status).toBe(201);
      const again = await add(other.id, appId);
      expect([again.status, again.json.error.code]).toEqual([409, "conflict"]);
      expect(again.json.error.message).toMatch(/already an active member/);
    });

    it.each([
      ["no body", undefined, "application_id"],
      ["an empty object", {}, "application_id"],
      ["a number for application_id", { application_id: 7 }, "application_id"],
      ["an array", [], "body"],
      ["text that is not JSON", "{application_id:", "body"],
    ])("answers 400 naming the field for %s", async (_name, body, field) => {
      const res = await call("POST", base(bot.id), body);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: { code: "bad_request", message: expect.stringContaining(field), field } });
    });

    it("answers 401 without a token and with a wrong one, before anything else", async () => {
      for (const token of [null, "not-a-token"]) {
        const res = await call("POST", base("nobody", "no-such-account"), {}, {}, token);
        expect([res.status, res.json.error.code]).toEqual([401, "unauthorized"]);
      }
    });

    it("answers 403 to a user of the account without the permission", async () => {
      const viewer = await w.newUser("viewer", accountId);
      const res = await call("POST", base(bot.id), { application_id: appId }, {}, viewer.token);
      expect([res.status, res.json.error.code]).toEqual([403, "forbidden"]);
    });

    it("answers 404 for an unknown identity, account or application, and for an application of another account", async () => {
      const foreignApp = await w.newProject("Elsewhere"); // in the administrator's own organization
      const foreignBot = await w.newIdentity("elsewhere-bot");
      const cases = [
        await add("000000000000000000", appId),
        await add(foreignBot.id, appId),
        await call("POST", base(bot.id, "no-such-account"), { application_id: appId }),
        await add(bot.id, "000000000000000000"),
        await add(bot.id, foreignApp),
      ];
      expect(cases.map((r) => [r.status, r.json.error.code])).toEqual(Array(5).fill([404, "not_found"]));
    });

    it("answers 404 for an account the caller may not act in, as for one that does not exist", async () => {
      const outsider = await w.newUser("outsider");
      const res = await call("POST", base(bot.id), { application_id: appId }, {}, outsider.token);
      expect([res.status, res.json.error.code]).toEqual([404, "not_found"]);
    });

    it("answers 405 with Allow for a method the path does not have", async () => {
      const res = await call("PUT", base(bot.id), {});
      expect([res.status, res.headers.get("allow")]).toEqual([405, "GET, POST"]);
    });
  });

  describe("account slug and x-zitadel-orgid", () => {
    it("accepts the header naming the account's organization, refuses one naming another", async () => {
      const own = await call("GET", base(bot.id), undefined, { "x-zitadel-orgid": accountId });
      expect(own.status).toBe(200);
      const other = await call("GET", base(bot.id), undefined, { "x-zitadel-orgid": ts.orgId });
      expect(other.status).toBe(400);
      expect(other.json.error).toMatchObject({ code: "bad_request", field: "x-zitadel-orgid" });
    });
  });

  describe("lifecycle", () => {
    it("suspends, resumes and revokes; a revoked membership can be added again", async () => {
      const b = await w.newIdentity("cycle-bot", accountId);
      const m = (await add(b.id, appId)).json;
      const one = `${base(b.id)}/${m.id}`;
      const suspended = await call("POST", `${one}/suspend`);
      expect([suspended.status, suspended.json.status]).toEqual([200, "suspended"]);
      expect((await call("POST", `${one}/suspend`)).status).toBe(409);
      const resumed = await call("POST", `${one}/resume`);
      expect([resumed.status, resumed.json.status]).toEqual([200, "active"]);
      const revoked = await call("DELETE", one);
      expect([revoked.status, revoked.json.status, revoked.json.deactivated_at]).toEqual([200, "deactivated", expect.stringMatching(ISO)]);
      expect((await call("DELETE", one)).status).toBe(404);
      expect((await call("GET", base(b.id))).json.app_memberships).toEqual([]);
      expect((await call("GET", `${base(b.id)}?status=deactivated`)).json.app_memberships).toEqual([revoked.json]);
      const again = await add(b.id, appId);
      expect([again.status, again.json.id, again.json.status, again.json.deactivated_at]).toEqual([201, m.id, "active", null]);
      expect((await call("POST", `${one}/deactivate`)).json.status).toBe("deactivated");
    });

    it("lets the invited user activate its invitation, and no one else", async () => {
      const invitee = await w.newUser("invitee", accountId);
      const inAccount = auth(ts.adminToken, accountId);
      await w.c.members.inviteProjectMember({ projectId: appId, userId: invitee.id, roles: ["viewer"] }, inAccount);
      const [invited] = (await call("GET", base(invitee.id))).json.app_memberships;
      expect([invited.status, invited.invited_at, invited.activated_at]).toEqual(["invited", expect.stringMatching(ISO), null]);
      const one = `${base(invitee.id)}/${invited.id}`;
      expect((await call("POST", `${one}/activate`)).status).toBe(404);
      const activated = await call("POST", `${one}/activate`, undefined, {}, invitee.token);
      expect([activated.status, activated.json.status, activated.json.activated_at]).toEqual([200, "active", expect.stringMatching(ISO)]);
    });

    it("answers 404 for a membership of another identity on the path", async () => {
      const m = (await call("GET", base(bot.id))).json.app_memberships[0];
      const other = await w.newIdentity("other-bot", accountId);
      expect((await call("POST", `${base(other.id)}/${m.id}/suspend`)).status).toBe(404);
    });
  });

  describe("the native API and Canopy", () => {
    it("lists a membership added through Canopy with the same principal, and the reverse", async () => {
      const inAccount = auth(ts.adminToken, accountId);
      const viaCanopy = await w.newIdentity("canopy-made", accountId);
      const m = (await add(viaCanopy.id, appId)).json;
      const { memberships } = await w.c.members.listMemberships({ projectId: appId }, inAccount);
      const native = memberships.find((x) => x.id === m.id)!;
      expect([native.principalType, native.identityId, native.status, native.projectId]).toEqual([PrincipalType.IDENTITY, viaCanopy.id, MembershipStatus.ACTIVE, appId]);

      const viaNative = await w.newIdentity("native-made", accountId);
      const made = await w.c.members.createIdentityMembership({ projectId: appId, identityId: viaNative.id }, inAccount);
      const listed = (await call("GET", base(viaNative.id))).json.app_memberships;
      expect(listed).toEqual([expect.objectContaining({ id: made.identityMembership!.id, identity_id: viaNative.id, application_id: appId, status: "active" })]);
    });
  });

  it("answers a raw HTTP/1.1 request", async () => {
    const b = await w.newIdentity("raw-bot", accountId);
    const body = JSON.stringify({ application_id: appId });
    const { host, hostname, port } = new URL(ts.url);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ""));
      let got = "";
      socket.on("data", (d) => (got += d.toString("utf8")));
      socket.on("end", () => resolve(got));
      socket.on("error", reject);
      socket.write(
        `POST /portal/v1/accounts/${slug}/identities/${b.id}/app-memberships HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${ts.adminToken}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    const [head, payload] = text.split("\r\n\r\n", 2) as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 201 /);
    expect(head.toLowerCase()).toContain("content-type: application/json");
    expect(JSON.parse(payload)).toMatchObject({ identity_id: b.id, application_id: appId, status: "active" });
  });

  it("answers over HTTP/2 (h2c) as over HTTP/1.1", async () => {
    const b = await w.newIdentity("h2-bot", accountId);
    const res = await exchange(ts.url, {
      http: 2,
      path: `/portal/v1/accounts/${slug}/identities/${b.id}/app-memberships`,
      headers: { authorization: `Bearer ${ts.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ application_id: appId }),
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body.toString("utf8"))).toMatchObject({ identity_id: b.id, application_id: appId, status: "active" });
  });
});
