// One world for every test that talks to the server: a server of its own
// (TLS when the protocol needs it), the native clients over one protocol of
// the matrix, the instance administrator, a first project, and builders for
// organizations, users, identities, tokens and projects. ZITADEL tests extend
// it with zitadelClients (zitadel-client.ts), so that the others do not load
// ZITADEL's descriptors.
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { AuditService } from "../../gen/membership/v1/audit_pb.js";
import { TemporaryMode } from "../../gen/membership/v1/common_pb.js";
import { IdentityService } from "../../gen/membership/v1/identity_pb.js";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { TokenService } from "../../gen/membership/v1/token_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { protocol as named, type Protocol } from "./protocol-matrix.ts";
import { auth, startTestServer, type TestServer, type TestServerOptions } from "./server.ts";
import { testCert } from "./test-cert.ts";

export interface Clients {
  orgs: Client<typeof OrganizationService>;
  projects: Client<typeof ProjectService>;
  users: Client<typeof UserService>;
  identities: Client<typeof IdentityService>;
  tokens: Client<typeof TokenService>;
  members: Client<typeof MembershipService>;
  audit: Client<typeof AuditService>;
}

export function clientsFor(transport: Transport): Clients {
  return {
    orgs: createClient(OrganizationService, transport),
    projects: createClient(ProjectService, transport),
    users: createClient(UserService, transport),
    identities: createClient(IdentityService, transport),
    tokens: createClient(TokenService, transport),
    members: createClient(MembershipService, transport),
    audit: createClient(AuditService, transport),
  };
}

/** Story tests speak Connect with binary protobuf over h2c, connect-node's default. */
export const DEFAULT_PROTOCOL = named("connect proto h2c");

export type CallOptions = ReturnType<typeof auth>;

/** A principal with a token of its own; `as` calls as it. */
export interface Principal {
  id: string;
  token: string;
  as: CallOptions;
}

export interface World {
  ts: TestServer;
  protocol: Protocol;
  c: Clients;
  admin: CallOptions;
  /** A project of the administrator's organization, made with the world. */
  projectId: string;
  /** Another transport of the world's protocol to its server, closed with the world. */
  transport(interceptors?: Interceptor[]): Transport;
  newOrg(name?: string): Promise<string>;
  newProject(name?: string, orgId?: string): Promise<string>;
  /** A user with a token and no rights until given some; a string names it, an object sets its fields. */
  newUser(spec?: string | UserSpec, orgId?: string): Promise<Principal & { email: string }>;
  newIdentity(name?: string, orgId?: string): Promise<Principal>;
  /** A new token for an existing user. */
  tokenFor(userId: string, orgId?: string): Promise<string>;
  /** Closes the world's transports, then its server. */
  close(): Promise<void>;
}

export interface UserSpec {
  firstName?: string;
  lastName?: string;
  email?: string;
}

export interface WorldOptions extends TestServerOptions {
  /** The protocol of every client of the world; DEFAULT_PROTOCOL unless set. */
  protocol?: Protocol;
}

let seq = 0;

/** A world on a running server; its close() closes that server too. */
export async function createWorld(ts: TestServer, protocol: Protocol = DEFAULT_PROTOCOL): Promise<World> {
  const transports: Transport[] = [];
  const transport = (interceptors: Interceptor[] = []) => {
    const t = protocol.transport(ts.url, { ca: testCert().cert, interceptors });
    transports.push(t);
    return t;
  };
  const c = clientsFor(transport());
  const asAdminIn = (orgId?: string) => auth(ts.adminToken, orgId);
  const newProject = async (name = `project ${++seq}`, orgId?: string) =>
    (await c.projects.createProject({ name }, asAdminIn(orgId))).project!.id;
  const tokenFor = async (userId: string, orgId?: string) =>
    (await c.tokens.createToken({ principal: { case: "userId", value: userId } }, asAdminIn(orgId))).secret;
  return {
    ts,
    protocol,
    c,
    admin: auth(ts.adminToken),
    projectId: await newProject(),
    transport,
    newOrg: async (name = `org ${++seq}`) => (await c.orgs.createOrganization({ name }, asAdminIn())).organization!.id,
    newProject,
    async newUser(spec = {}, orgId) {
      const n = ++seq;
      const u = typeof spec === "string" ? { firstName: spec, email: `${spec}@example.com` } : spec;
      const req = { firstName: u.firstName ?? `user${n}`, lastName: u.lastName ?? "Tester", email: u.email ?? `user${n}@example.com` };
      const user = (await c.users.createUser(req, asAdminIn(orgId))).user!;
      const token = await tokenFor(user.id, orgId);
      return { id: user.id, email: req.email, token, as: auth(token) };
    },
    async newIdentity(name = `bot${++seq}`, orgId) {
      const identity = (await c.identities.createIdentity({ name }, asAdminIn(orgId))).identity!;
      const { secret } = await c.tokens.createToken({ principal: { case: "identityId", value: identity.id } }, asAdminIn(orgId));
      return { id: identity.id, token: secret, as: auth(secret) };
    },
    tokenFor,
    async close() {
      // grpc-js transports hold a channel each; Connect's close with the server.
      for (const t of transports) if ("close" in t && typeof t.close === "function") t.close();
      await ts.close();
    },
  };
}

/** A role assignment held for `range` from `startMs`, for the roles of a membership write. */
export const temporaryRole = (role: string, range: string, startMs: number) => ({
  role,
  isTemporary: true,
  temporaryMode: TemporaryMode.RELATIVE,
  temporaryRange: range,
  temporaryAccessStartTime: timestampFromMs(startMs),
});

/** What an extension adds to a world, such as zitadelClients. */
export type Extend<X> = (w: World) => X;

/** A server for the world's protocol (TLS with the test certificate when it needs it) and a world on it. */
export async function startWorld<X extends object = object>(opts: WorldOptions = {}, extend?: Extend<X>): Promise<World & X> {
  const { protocol = DEFAULT_PROTOCOL, ...serverOpts } = opts;
  const cert = protocol.tls ? testCert() : undefined;
  const ts = await startTestServer(cert ? { ...serverOpts, tlsCert: cert.certPath, tlsKey: cert.keyPath } : serverOpts);
  const w = await createWorld(ts, protocol);
  return Object.assign(w, extend?.(w));
}

/**
 * Registers the hooks that give each test (per: "test") or the enclosing
 * suite or file (per: "suite") a world of its own, and returns it. The
 * object is filled in by the hook, so read it inside tests and later hooks.
 */
export function useWorld<X extends object = object>(opts: WorldOptions & { per?: "test" | "suite" } = {}, extend?: Extend<X>): World & X {
  const { per = "test", ...worldOpts } = opts;
  const w = {} as World & X;
  (per === "test" ? beforeEach : beforeAll)(async () => {
    Object.assign(w, await startWorld(worldOpts, extend));
  });
  (per === "test" ? afterEach : afterAll)(() => w.close?.());
  return w;
}
