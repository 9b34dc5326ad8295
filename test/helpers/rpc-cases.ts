// One valid request for every RPC of the route table that needs a caller,
// with fresh targets, so that a caller allowed to make it succeeds. The
// authorization matrix, the authorize-before-validate test and the
// existence-oracle test all build on it, and call any RPC the same way:
// through the route's own method descriptor.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import { allRoutes } from "../../scripts/rpc-table.ts";
import { routePath, type Route } from "../../src/rpc/route.ts";
import { auth, startTestServer, type TestServer } from "./server.ts";
import { createWorld, DEFAULT_PROTOCOL, type World } from "./fixtures.ts";

/** Who a request is built for: AcceptProjectInvitation invites the caller into a project of its own organization. */
export interface CaseCaller {
  id: string;
  homeOrg: string;
}

export interface RpcCase {
  /** "membership.v1.UserService/CreateUser" */
  rpc: string;
  /** A project-scoped RPC asked of the whole organization (empty project_id). */
  ofOrganization?: boolean;
  request(caller: CaseCaller): Promise<Record<string, unknown>>;
}

export type Headers = Record<string, string>;

/** Every route of the table by "package.Service/Method". */
export const ROUTES: ReadonlyMap<string, Route> = new Map(allRoutes().map((r) => [routePath(r).slice(1), r]));

/** Calls any route with a plain request; a stream answers with its first message. */
export function routeCaller(transport: Transport) {
  const clients = new Map<string, Client<DescService>>();
  return async (route: Route, request: MessageInitShape<never> | Record<string, unknown>, headers: Headers): Promise<unknown> => {
    const service = route.method.parent;
    let client = clients.get(service.typeName);
    if (!client) clients.set(service.typeName, (client = createClient(service, transport)));
    const fn = (client as Record<string, (req: unknown, opts: { headers: Headers }) => unknown>)[route.method.localName]!;
    if (route.kind === "unary") return await fn(request, { headers });
    for await (const first of fn(request, { headers }) as AsyncIterable<unknown>) return first;
    return undefined;
  };
}

let seq = 0;
const next = () => `${++seq}-${Math.random().toString(36).slice(2, 8)}`;

/** Fresh targets in the world's organization and project, made by the instance administrator. */
export function targets(ts: TestServer, w: World) {
  const c = w.c;
  const a = w.admin;
  const adminIn = (orgId: string) => auth(ts.adminToken, orgId);
  const t = {
    user: async () => (await c.users.createUser({ email: `t${next()}@example.com`, firstName: "T", lastName: "T" }, a)).user!.id,
    identity: async () => (await c.identities.createIdentity({ name: `bot ${next()}` }, a)).identity!.id,
    member: async (roles = ["viewer"]) => {
      const userId = await t.user();
      await c.members.addProjectMember({ projectId: w.projectId, userId, roles }, a);
      return userId;
    },
    identityMember: async () => {
      const identityId = await t.identity();
      const m = await c.members.createIdentityMembership({ projectId: w.projectId, identityId }, a);
      return { identityId, membershipId: m.identityMembership!.id };
    },
    suspended: async () => {
      const { membershipId } = await t.identityMember();
      await c.members.suspendMembership({ membershipId }, a);
      return membershipId;
    },
    org: async () => (await c.orgs.createOrganization({ name: `org ${next()}` }, a)).organization!.id,
    project: async () => (await c.projects.createProject({ name: `project ${next()}` }, a)).project!.id,
    role: async () => (await c.projects.createProjectRole({ projectId: w.projectId, slug: `r${next()}`, name: "r", permissions: [] }, a)).role!.id,
    orgMember: async () => {
      const userId = await t.user();
      await c.orgs.addOrganizationMember({ principal: userRef(userId) as never, roles: ["ORG_OWNER_VIEWER"] }, a);
      return userId;
    },
    /** A member holding `viewer`: a ZITADEL v2 authorization, whose id is the membership's. */
    authorization: async () => {
      const email = `a${next()}@example.com`;
      const userId = (await c.users.createUser({ email, firstName: "A", lastName: "A" }, a)).user!.id;
      await c.members.addProjectMember({ projectId: w.projectId, userId, roles: ["viewer"] }, a);
      return (await c.members.listMemberships({ projectId: w.projectId, filter: { emailPrefix: email } }, a)).memberships[0]!.id;
    },
    token: async () => (await c.tokens.createToken({ principal: { case: "userId", value: await t.user() } }, a)).token!.id,
    invitation: async (caller: CaseCaller) => {
      const projectId = (await c.projects.createProject({ name: `invite ${next()}` }, adminIn(caller.homeOrg))).project!.id;
      await c.members.inviteProjectMember({ projectId, userId: caller.id, roles: ["viewer"] }, adminIn(caller.homeOrg));
      return projectId;
    },
  };
  return t;
}

const userRef = (value: string) => ({ case: "userId", value });
/** A ZITADEL v2 administrator resource. */
const onProject = (value: string) => ({ resource: { case: "projectId", value } });
const onOrg = (value: string) => ({ resource: { case: "organizationId", value } });
const O = "membership.v1.OrganizationService/";
const U = "membership.v1.UserService/";
const I = "membership.v1.IdentityService/";
const T = "membership.v1.TokenService/";
const P = "membership.v1.ProjectService/";
const M = "membership.v1.MembershipService/";
const Z = "zitadel.management.v1.ManagementService/";
const ZP = "zitadel.internal_permission.v2beta.InternalPermissionService/";
const ZA = "zitadel.authorization.v2beta.AuthorizationService/";

/** The cases, in route-table order; `rpcCasesMissing` says which routes lack one. */
export function rpcCases(ts: TestServer, w: World): RpcCase[] {
  const t = targets(ts, w);
  const p = w.projectId;
  const c = (rpc: string, request: RpcCase["request"], ofOrganization?: true): RpcCase => ({ rpc, request, ...(ofOrganization ? { ofOrganization } : {}) });
  return [
    c(O + "CreateOrganization", async () => ({ name: `org ${next()}` })),
    c(O + "GetOrganization", async () => ({ organizationId: ts.orgId })),
    c(O + "ListOrganizations", async () => ({})),
    c(O + "UpdateOrganization", async () => ({ organizationId: await t.org(), name: `renamed ${next()}` })),
    c(O + "DeleteOrganization", async () => ({ organizationId: await t.org() })),
    c(O + "AddOrganizationMember", async () => ({ principal: userRef(await t.user()), roles: ["ORG_OWNER_VIEWER"] })),
    c(O + "RemoveOrganizationMember", async () => {
      const id = await t.user();
      await w.c.orgs.addOrganizationMember({ principal: userRef(id) as never, roles: ["ORG_OWNER_VIEWER"] }, w.admin);
      return { principal: userRef(id) };
    }),
    c(O + "ListOrganizationMembers", async () => ({})),
    c(U + "CreateUser", async () => ({ email: `n${next()}@example.com`, firstName: "N", lastName: "N" })),
    c(U + "GetUser", async () => ({ userId: await t.user() })),
    c(U + "ListUsers", async () => ({})),
    c(U + "UpdateUser", async () => ({ userId: await t.user(), firstName: "Renamed" })),
    c(U + "DeleteUser", async () => ({ userId: await t.user() })),
    c(I + "CreateIdentity", async () => ({ name: `bot ${next()}` })),
    c(I + "GetIdentity", async () => ({ identityId: await t.identity() })),
    c(I + "ListIdentities", async () => ({})),
    c(I + "UpdateIdentity", async () => ({ identityId: await t.identity(), name: `renamed ${next()}` })),
    c(I + "DeleteIdentity", async () => ({ identityId: await t.identity() })),
    c(P + "CreateProject", async () => ({ name: `project ${next()}` })),
    c(P + "GetProject", async () => ({ projectId: p })),
    c(P + "ListProjects", async () => ({})),
    c(P + "UpdateProject", async () => ({ projectId: p, description: `described ${next()}` })),
    c(P + "DeleteProject", async () => ({ projectId: await t.project() })),
    c(P + "CreateProjectRole", async () => ({ projectId: p, slug: `c${next()}`, name: "c" })),
    c(P + "ListProjectRoles", async () => ({ projectId: p })),
    c(P + "UpdateProjectRole", async () => ({ projectId: p, roleId: await t.role(), name: "n" })),
    c(P + "DeleteProjectRole", async () => ({ projectId: p, roleId: await t.role() })),
    c(T + "CreateToken", async () => ({ principal: userRef(await t.user()) })),
    c(T + "RevokeToken", async () => ({ tokenId: await t.token() })),
    c(T + "ListTokens", async () => ({ principalId: await t.user() })),
    c(M + "AddProjectMember", async () => ({ projectId: p, userId: await t.user(), roles: ["viewer"] })),
    c(M + "InviteProjectMember", async () => ({ projectId: p, userId: await t.user(), roles: ["viewer"] })),
    c(M + "AcceptProjectInvitation", async (caller) => ({ projectId: await t.invitation(caller) })),
    c(M + "UpdateProjectMember", async () => ({ projectId: p, userId: await t.member(), roles: ["member"] })),
    c(M + "RemoveProjectMember", async () => ({ projectId: p, userId: await t.member() })),
    c(M + "ListMemberships", async () => ({ projectId: p })),
    c(M + "CreateIdentityMembership", async () => ({ projectId: p, identityId: await t.identity() })),
    c(M + "GetIdentityMembership", async () => ({ projectId: p, identityId: (await t.identityMember()).identityId })),
    c(M + "UpdateIdentityMembership", async () => ({ projectId: p, identityId: (await t.identityMember()).identityId, roles: [{ role: "viewer" }] })),
    c(M + "ListIdentityMemberships", async () => ({ projectId: p })),
    c(M + "DeleteIdentityMembership", async () => ({ projectId: p, identityId: (await t.identityMember()).identityId })),
    c(M + "SuspendMembership", async () => ({ membershipId: (await t.identityMember()).membershipId })),
    c(M + "ResumeMembership", async () => ({ membershipId: await t.suspended() })),
    c(M + "CheckAccess", async () => ({ projectId: p, subject: userRef(await t.member()), permission: "project.read" })),
    c(M + "WatchMemberships", async () => ({ projectId: p })),
    c("membership.v1.AuditService/ListAuditEvents", async () => ({ projectId: p })),
    c("membership.v1.AuditService/ListAuditEvents", async () => ({}), true),
    c("membership.v1.AuditService/VerifyAuditChain", async () => ({})),
    c(Z + "ListProjectMemberRoles", async () => ({})),
    c(Z + "ListProjectMembers", async () => ({ projectId: p })),
    c(Z + "AddProjectMember", async () => ({ projectId: p, userId: await t.user(), roles: ["PROJECT_OWNER_VIEWER"] })),
    c(Z + "UpdateProjectMember", async () => ({ projectId: p, userId: await t.member(), roles: ["PROJECT_OWNER_VIEWER"] })),
    c(Z + "RemoveProjectMember", async () => ({ projectId: p, userId: await t.member() })),
    c(ZP + "ListAdministrators", async () => ({})),
    c(ZP + "CreateAdministrator", async () => ({ userId: await t.user(), resource: onProject(p), roles: ["PROJECT_OWNER_VIEWER"] })),
    c(ZP + "CreateAdministrator", async () => ({ userId: await t.user(), resource: onOrg(ts.orgId), roles: ["ORG_OWNER_VIEWER"] }), true),
    c(ZP + "UpdateAdministrator", async () => ({ userId: await t.member(["PROJECT_OWNER_VIEWER"]), resource: onProject(p), roles: ["PROJECT_OWNER_VIEWER"] })),
    c(ZP + "UpdateAdministrator", async () => ({ userId: await t.orgMember(), resource: onOrg(ts.orgId), roles: ["ORG_OWNER_VIEWER"] }), true),
    c(ZP + "DeleteAdministrator", async () => ({ userId: await t.member(["PROJECT_OWNER_VIEWER"]), resource: onProject(p) })),
    c(ZP + "DeleteAdministrator", async () => ({ userId: await t.orgMember(), resource: onOrg(ts.orgId) }), true),
    c(ZA + "ListAuthorizations", async () => ({})),
    c(ZA + "CreateAuthorization", async () => ({ userId: await t.user(), projectId: p, roleKeys: ["viewer"] })),
    c(ZA + "UpdateAuthorization", async () => ({ id: await t.authorization(), roleKeys: ["viewer"] })),
    c(ZA + "DeleteAuthorization", async () => ({ id: await t.authorization() })),
    c(ZA + "ActivateAuthorization", async () => ({ id: await t.authorization() })),
    c(ZA + "DeactivateAuthorization", async () => ({ id: await t.authorization() })),
  ];
}

export interface RpcWorld {
  ts: TestServer;
  w: World;
  cases: RpcCase[];
  call: ReturnType<typeof routeCaller>;
  /** A valid request of the RPC's first case, built for `caller`. */
  requestFor(rpc: string, caller: CaseCaller): Promise<Record<string, unknown>>;
}

/** One server, world and case table for a test generated from the route table, spoken to in Connect's binary format over HTTP/2. */
export async function startRpcWorld(): Promise<RpcWorld> {
  const ts = await startTestServer();
  // Connect's binary format over HTTP/2, the cheapest encoding it offers, for tests that make thousands of calls.
  const w = await createWorld(ts, DEFAULT_PROTOCOL);
  const transport = DEFAULT_PROTOCOL.transport(ts.url);
  const cases = rpcCases(ts, w);
  const requestFor = (rpc: string, caller: CaseCaller) => cases.find((c) => c.rpc === rpc && !c.ofOrganization)!.request(caller);
  return { ts, w, cases, call: routeCaller(transport), requestFor };
}

/** Routes that need a caller and have no case, and cases that name no route: both must stay empty. */
export function rpcCasesMissing(cases: RpcCase[]): { uncovered: string[]; unknown: string[] } {
  const covered = new Set(cases.map((c) => c.rpc));
  return {
    uncovered: [...ROUTES].filter(([path, r]) => r.access.scope !== "public" && !covered.has(path)).map(([path]) => path),
    unknown: cases.filter((c) => !ROUTES.has(c.rpc)).map((c) => c.rpc),
  };
}
