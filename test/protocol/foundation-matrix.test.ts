// Every foundation RPC over every protocol: the same calls, the same values,
// the same codes, whichever wire format and HTTP version carries them.
import { toJsonString } from "@bufbuild/protobuf";
import * as tls from "node:tls";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IdentityService } from "../../gen/membership/v1/identity_pb.js";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { ListTokensResponseSchema, TokenService } from "../../gen/membership/v1/token_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { Code } from "@connectrpc/connect";
import { codeOf } from "../helpers/call-outcomes.ts";
import { PROTOCOLS, startMatrixServer, type MatrixServer } from "../helpers/protocol-matrix.ts";
import { testCert } from "../helpers/test-cert.ts";
import { grpcPath } from "../helpers/grpc-js-transport.ts";
import { auth } from "../helpers/server.ts";

describe.each(PROTOCOLS)("foundation RPCs over $name", (protocol) => {
  let s: MatrixServer;
  let admin: ReturnType<typeof auth>;
  beforeEach(async () => {
    s = await startMatrixServer(protocol);
    admin = auth(s.adminToken);
  });
  afterEach(async () => {
    await s.close();
  });

  const createUser = (email: string, opts = admin) =>
    s.client(UserService).createUser({ email, firstName: "Ada", lastName: "Lovelace" }, opts).then((r) => r.user!);
  const tokenFor = async (userId: string) => (await s.client(TokenService).createToken({ principal: { case: "userId", value: userId } }, admin)).secret;
  const createProject = (name = "Apollo") => s.client(ProjectService).createProject({ name, description: "d" }, admin).then((r) => r.project!);

  it("OrganizationService: create, get, list", async () => {
    const orgs = s.client(OrganizationService);
    const created = (await orgs.createOrganization({ name: "Second org" }, admin)).organization!;
    expect(created.name).toBe("Second org");
    expect(created.id).not.toBe("");
    expect(created.createdAt?.seconds).toBeGreaterThan(0n);
    const got = (await orgs.getOrganization({ organizationId: created.id }, admin)).organization!;
    expect(got).toMatchObject({ id: created.id, name: "Second org" });
    const own = (await orgs.getOrganization({ organizationId: s.orgId }, admin)).organization!;
    expect(own.name).toBe("Default organization");
    const list = await orgs.listOrganizations({}, admin);
    expect(list.organizations.map((o) => o.id).sort()).toEqual([s.orgId, created.id].sort());
    expect(list.nextPageToken).toBe("");
  });

  it("ProjectService: create, get, list", async () => {
    const projects = s.client(ProjectService);
    const p = await createProject("Apollo");
    expect(p).toMatchObject({ name: "Apollo", description: "d", organizationId: s.orgId });
    expect(p.createdAt?.seconds).toBeGreaterThan(0n);
    expect((await projects.getProject({ projectId: p.id }, admin)).project).toMatchObject({ id: p.id, name: "Apollo" });
    const second = await createProject("Gemini");
    const list = await projects.listProjects({}, admin);
    expect(list.projects.map((x) => x.name)).toEqual(["Apollo", "Gemini"]);
    expect(list.projects.map((x) => x.id)).toEqual([p.id, second.id]);
  });

  it("UserService and IdentityService: create, get, list", async () => {
    const users = s.client(UserService);
    const u = await createUser("ada@example.com");
    expect(u).toMatchObject({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", organizationId: s.orgId });
    expect((await users.getUser({ userId: u.id }, admin)).user).toMatchObject({ id: u.id, email: "ada@example.com" });
    const listed = await users.listUsers({ emailPrefix: "ADA" }, admin);
    expect(listed.users.map((x) => x.id)).toEqual([u.id]);
    expect((await users.listUsers({}, admin)).users.map((x) => x.id)).toEqual([s.adminUserId, u.id]);

    const identities = s.client(IdentityService);
    const i = (await identities.createIdentity({ name: "ci-bot" }, admin)).identity!;
    expect(i).toMatchObject({ name: "ci-bot", organizationId: s.orgId });
    expect(i.createdAt?.seconds).toBeGreaterThan(0n);
    expect((await identities.getIdentity({ identityId: i.id }, admin)).identity).toMatchObject({ id: i.id, name: "ci-bot" });
    expect((await identities.listIdentities({}, admin)).identities.map((x) => x.id)).toEqual([i.id]);
  });

  it("TokenService: a created token works, is listed without its secret, and fails once revoked", async () => {
    const tokens = s.client(TokenService);
    const u = await createUser("tok@example.com");
    const created = await tokens.createToken({ principal: { case: "userId", value: u.id }, description: "laptop" }, admin);
    expect(created.secret).not.toBe("");
    expect(created.token).toMatchObject({ principalId: u.id, description: "laptop", organizationId: s.orgId });
    const asUser = auth(created.secret);
    expect((await s.client(UserService).getUser({ userId: u.id }, asUser)).user?.email).toBe("tok@example.com");

    const list = await tokens.listTokens({ principalId: u.id }, admin);
    expect(list.tokens.map((t) => t.id)).toEqual([created.token!.id]);
    const all = await tokens.listTokens({}, admin);
    expect(all.tokens.length).toBe(2);
    for (const res of [list, all]) {
      const json = toJsonString(ListTokensResponseSchema, res);
      expect(json).not.toContain(created.secret);
      expect(json).not.toContain(s.adminToken);
    }

    const revoked = await tokens.revokeToken({ tokenId: created.token!.id }, admin);
    expect(revoked.token?.revokedAt?.seconds).toBeGreaterThan(0n);
    expect(await codeOf(s.client(UserService).getUser({ userId: u.id }, asUser))).toBe(Code.Unauthenticated);
  });

  it("MembershipService: AddProjectMember details and ListMemberships paging", async () => {
    const members = s.client(MembershipService);
    const p = await createProject();
    const emails = ["m1@example.com", "m2@example.com", "m3@example.com"];
    const ids: string[] = [];
    for (const email of emails) {
      const u = await createUser(email);
      ids.push(u.id);
      const res = await members.addProjectMember({ projectId: p.id, userId: u.id, roles: ["member", "viewer"] }, admin);
      expect(res.details?.sequence).toBeGreaterThan(0n);
      expect(res.details?.resourceOwner).toBe(s.orgId);
      expect(res.details?.creationDate?.seconds).toBeGreaterThan(0n);
    }

    const all = await members.listMemberships({ projectId: p.id }, admin);
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
      const page = await members.listMemberships({ projectId: p.id, pageSize: 1, pageToken }, admin);
      expect(page.memberships.length).toBe(1);
      walked.push(page.memberships[0]!.userId);
      pageToken = page.nextPageToken;
      if (pageToken === "") break;
    }
    expect(walked).toEqual(all.memberships.map((m) => m.userId));
  });

  it("errors arrive with Unauthenticated, NotFound, InvalidArgument and AlreadyExists", async () => {
    const members = s.client(MembershipService);
    expect(await codeOf(s.client(ProjectService).listProjects({}))).toBe(Code.Unauthenticated);
    expect(await codeOf(s.client(ProjectService).listProjects({}, auth("mbr_not-a-real-token")))).toBe(Code.Unauthenticated);
    expect(await codeOf(s.client(ProjectService).getProject({ projectId: "1234567890123456789" }, admin))).toBe(Code.NotFound);
    const p = await createProject();
    const u = await createUser("dup@example.com");
    expect(await codeOf(members.addProjectMember({ projectId: p.id, userId: u.id, roles: ["no-such-role"] }, admin))).toBe(
      Code.InvalidArgument,
    );
    await members.addProjectMember({ projectId: p.id, userId: u.id, roles: ["member"] }, admin);
    expect(await codeOf(members.addProjectMember({ projectId: p.id, userId: u.id, roles: ["member"] }, admin))).toBe(Code.AlreadyExists);
  });

  it("errors arrive with NotFound for another org's user (as for one that exists nowhere) and PermissionDenied without rights", async () => {
    const members = s.client(MembershipService);
    const p = await createProject();
    const org2 = (await s.client(OrganizationService).createOrganization({ name: "Other" }, admin)).organization!;
    const stranger = await createUser("stranger@example.com", auth(s.adminToken, org2.id));
    expect(stranger.organizationId).toBe(org2.id);
    expect(await codeOf(members.addProjectMember({ projectId: p.id, userId: stranger.id, roles: ["member"] }, admin))).toBe(Code.NotFound);

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
    const s = await startMatrixServer(PROTOCOLS.find((p) => p.tls)!);
    try {
      const negotiate = async (ALPNProtocols: string[]) => {
        const socket = tls.connect({ host: "127.0.0.1", port: s.server.port, ca: testCert().cert, ALPNProtocols });
        await new Promise((resolve, reject) => socket.once("secureConnect", resolve).once("error", reject));
        socket.destroy();
        return socket.alpnProtocol;
      };
      expect(await negotiate(["h2", "http/1.1"])).toBe("h2");
      expect(await negotiate(["http/1.1"])).toBe("http/1.1");
    } finally {
      await s.close();
    }
  });
});

describe("the grpc-js transport", () => {
  it("takes method paths from the .proto files and refuses methods they do not declare", () => {
    expect(grpcPath(ProjectService.method.createProject)).toBe("/membership.v1.ProjectService/CreateProject");
    expect(() => grpcPath({ parent: { typeName: "membership.v1.ProjectService" }, name: "NoSuchMethod" })).toThrow();
  });
});
