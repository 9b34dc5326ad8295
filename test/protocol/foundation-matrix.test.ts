// Every foundation RPC over every protocol: the same calls, the same values,
// the same codes, whichever wire format and HTTP version carries them.
import { toJsonString } from "@bufbuild/protobuf";
import * as tls from "node:tls";
import { describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { ListTokensResponseSchema } from "../../gen/membership/v1/token_pb.js";
import { codeOf } from "../helpers/call-outcomes.ts";
import { startWorld, useWorld } from "../helpers/fixtures.ts";
import { grpcPath } from "../helpers/grpc-js-transport.ts";
import { protocol, PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";
import { testCert } from "../helpers/test-cert.ts";

describe.each(PROTOCOLS)("foundation RPCs over $name", (protocol) => {
  const w = useWorld({ protocol });

  const createUser = (email: string, opts = w.admin) =>
    w.c.users.createUser({ email, firstName: "Ada", lastName: "Lovelace" }, opts).then((r) => r.user!);
  const tokenFor = async (userId: string) => (await w.c.tokens.createToken({ principal: { case: "userId", value: userId } }, w.admin)).secret;
  const createProject = (name = "Apollo") => w.c.projects.createProject({ name, description: "d" }, w.admin).then((r) => r.project!);

  it("OrganizationService: create, get, list", async () => {
    const orgs = w.c.orgs;
    const created = (await orgs.createOrganization({ name: "Second org" }, w.admin)).organization!;
    expect(created.name).toBe("Second org");
    expect(created.id).not.toBe("");
    expect(created.createdAt?.seconds).toBeGreaterThan(0n);
    const got = (await orgs.getOrganization({ organizationId: created.id }, w.admin)).organization!;
    expect(got).toMatchObject({ id: created.id, name: "Second org" });
    const own = (await orgs.getOrganization({ organizationId: w.ts.orgId }, w.admin)).organization!;
    expect(own.name).toBe("Default organization");
    const list = await orgs.listOrganizations({}, w.admin);
    expect(list.organizations.map((o) => o.id).sort()).toEqual([w.ts.orgId, created.id].sort());
    expect(list.nextPageToken).toBe("");
  });

  it("ProjectService: create, get, list", async () => {
    const projects = w.c.projects;
    const p = await createProject("Apollo");
    expect(p).toMatchObject({ name: "Apollo", description: "d", organizationId: w.ts.orgId });
    expect(p.createdAt?.seconds).toBeGreaterThan(0n);
    expect((await projects.getProject({ projectId: p.id }, w.admin)).project).toMatchObject({ id: p.id, name: "Apollo" });
    const second = await createProject("Gemini");
    const list = await projects.listProjects({}, w.admin);
    // The world made its own project first.
    expect(list.projects.map((x) => x.id)).toEqual([w.projectId, p.id, second.id]);
    expect(list.projects.slice(1).map((x) => x.name)).toEqual(["Apollo", "Gemini"]);
  });

  it("UserService and IdentityService: create, get, list", async () => {
    const users = w.c.users;
    const u = await createUser("ada@example.com");
    expect(u).toMatchObject({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", organizationId: w.ts.orgId });
    expect((await users.getUser({ userId: u.id }, w.admin)).user).toMatchObject({ id: u.id, email: "ada@example.com" });
    const listed = await users.listUsers({ emailPrefix: "ADA" }, w.admin);
    expect(listed.users.map((x) => x.id)).toEqual([u.id]);
    expect((await users.listUsers({}, w.admin)).users.map((x) => x.id)).toEqual([w.ts.adminUserId, u.id]);

    const identities = w.c.identities;
    const i = (await identities.createIdentity({ name: "ci-bot" }, w.admin)).identity!;
    expect(i).toMatchObject({ name: "ci-bot", organizationId: w.ts.orgId });
    expect(i.createdAt?.seconds).toBeGreaterThan(0n);
    expect((await identities.getIdentity({ identityId: i.id }, w.admin)).identity).toMatchObject({ id: i.id, name: "ci-bot" });
    expect((await identities.listIdentities({}, w.admin)).identities.map((x) => x.id)).toEqual([i.id]);
  });

  it("TokenService: a created token works, is listed without its secret, and fails once revoked", async () => {
    const tokens = w.c.tokens;
    const u = await createUser("tok@example.com");
    const created = await tokens.createToken({ principal: { case: "userId", value: u.id }, description: "laptop" }, w.admin);
    expect(created.secret).not.toBe("");
    expect(created.token).toMatchObject({ principalId: u.id, description: "laptop", organizationId: w.ts.orgId });
    const asUser = auth(created.secret);
    expect((await w.c.users.getUser({ userId: u.id }, asUser)).user?.email).toBe("tok@example.com");

    const list = await tokens.listTokens({ principalId: u.id }, w.admin);
    expect(list.tokens.map((t) => t.id)).toEqual([created.token!.id]);
    const all = await tokens.listTokens({}, w.admin);
    expect(all.tokens.length).toBe(2);
    for (const res of [list, all]) {
      const json = toJsonString(ListTokensResponseSchema, res);
      expect(json).not.toContain(created.secret);
      expect(json).not.toContain(w.ts.adminToken);
    }

    const revoked = await tokens.revokeToken({ tokenId: created.token!.id }, w.admin);
    expect(revoked.token?.revokedAt?.seconds).toBeGreaterThan(0n);
    expect(await codeOf(w.c.users.getUser({ userId: u.id }, asUser))).toBe(Code.Unauthenticated);
  });

  it("MembershipService: AddProjectMember details and ListMemberships paging", async () => {
    const members = w.c.members;
    const p = await createProject();
    const emails = ["m1@example.com", "m2@example.com", "m3@example.com"];
    const ids: string[] = [];
    for (const email of emails) {
      const u = await createUser(email);
      ids.push(u.id);
      const res = await members.addProjectMember({ projectId: p.id, userId: u.id, roles: ["member", "viewer"] }, w.admin);
      expect(res.details?.sequence).toBeGreaterThan(0n);
      expect(res.details?.resourceOwner).toBe(w.ts.orgId);
      expect(res.details?.creationDate?.seconds).toBeGreaterThan(0n);
    }

    const all = await members.listMemberships({ projectId: p.id }, w.admin);
    expect(all.memberships.map((m) => m.userId).sort()).toEqual([...ids].sort());
    for (const m of all.memberships) {
      expect(m.projectId).toBe(p.id);
      expect(m.user?.email).toBe(emails[ids.indexOf(m.userId)]);
      expect(m.user?.firstName).toBe("Ada");
      expect(m.roles.map((r) => r.role).sort()).toEqual(["member", "viewer"]);
    }

    const walked: string[] = [];
    let pageToken = "";
    for (let pages = 0; pages < 10; pages++) {
      const page = await members.listMemberships({ projectId: p.id, pageSize: 1, pageToken }, w.admin);
      expect(page.memberships.length).toBe(1);
      walked.push(page.memberships[0]!.userId);
      pageToken = page.nextPageToken;
      if (pageToken === "") break;
    }
    expect(walked).toEqual(all.memberships.map((m) => m.userId));
  });

  it("errors arrive with Unauthenticated, NotFound, InvalidArgument and AlreadyExists", async () => {
    const members = w.c.members;
    expect(await codeOf(w.c.projects.listProjects({}))).toBe(Code.Unauthenticated);
    expect(await codeOf(w.c.projects.listProjects({}, auth("mbr_not-a-real-token")))).toBe(Code.Unauthenticated);
    expect(await codeOf(w.c.projects.getProject({ projectId: "1234567890123456789" }, w.admin))).toBe(Code.NotFound);
    const p = await createProject();
    const u = await createUser("dup@example.com");
    expect(await codeOf(members.addProjectMember({ projectId: p.id, userId: u.id, roles: ["no-such-role"] }, w.admin))).toBe(
      Code.InvalidArgument,
    );
    await members.addProjectMember({ projectId: p.id, userId: u.id, roles: ["member"] }, w.admin);
    expect(await codeOf(members.addProjectMember({ projectId: p.id, userId: u.id, roles: ["member"] }, w.admin))).toBe(Code.AlreadyExists);
  });

  it("errors arrive with NotFound for another org's user (as for one that exists nowhere) and PermissionDenied without rights", async () => {
    const members = w.c.members;
    const p = await createProject();
    const org2 = (await w.c.orgs.createOrganization({ name: "Other" }, w.admin)).organization!;
    const stranger = await createUser("stranger@example.com", auth(w.ts.adminToken, org2.id));
    expect(stranger.organizationId).toBe(org2.id);
    expect(await codeOf(members.addProjectMember({ projectId: p.id, userId: stranger.id, roles: ["member"] }, w.admin))).toBe(Code.NotFound);

    const plain = await createUser("plain@example.com");
    const target = await createUser("target@example.com");
    const asPlain = auth(await tokenFor(plain.id));
    expect(await codeOf(members.addProjectMember({ projectId: p.id, userId: target.id, roles: ["member"] }, asPlain))).toBe(
      Code.PermissionDenied,
    );
  });
});

describe("the TLS listener", () => {
  it("chooses h2 or http/1.1 by ALPN, as the TLS protocols of the matrix rely on", async () => {
    const w = await startWorld({ protocol: protocol("grpc tls h2") });
    try {
      const negotiate = async (ALPNProtocols: string[]) => {
        const socket = tls.connect({ host: "127.0.0.1", port: w.ts.server.port, ca: testCert().cert, ALPNProtocols });
        await new Promise((resolve, reject) => socket.once("secureConnect", resolve).once("error", reject));
        socket.destroy();
        return socket.alpnProtocol;
      };
      expect(await negotiate(["h2", "http/1.1"])).toBe("h2");
      expect(await negotiate(["http/1.1"])).toBe("http/1.1");
    } finally {
      await w.close();
    }
  });
});

describe("the grpc-js transport", () => {
  it("takes method paths from the .proto files and refuses methods they do not declare", () => {
    expect(grpcPath(ProjectService.method.createProject)).toBe("/membership.v1.ProjectService/CreateProject");
    expect(() => grpcPath({ parent: { typeName: "membership.v1.ProjectService" }, name: "NoSuchMethod" })).toThrow();
  });
});
