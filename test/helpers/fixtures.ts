// A small world for membership tests: clients bound to a transport, and
// helpers that create users and identities with their own tokens.
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AuditService } from "../../gen/membership/v1/audit_pb.js";
import { IdentityService } from "../../gen/membership/v1/identity_pb.js";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { TokenService } from "../../gen/membership/v1/token_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { auth, type TestServer } from "./server.ts";

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

/** Connect JSON over h2c: the default transport of story tests. */
export const connectTransport = (ts: TestServer) => createConnectTransport({ baseUrl: ts.url, httpVersion: "2" });

let seq = 0;

export interface World {
  c: Clients;
  admin: ReturnType<typeof auth>;
  projectId: string;
  /** A user of the org with a token; no rights until given some. */
  newUser(name?: string, orgId?: string): Promise<{ id: string; email: string; token: string; as: ReturnType<typeof auth> }>;
  newIdentity(name?: string, orgId?: string): Promise<{ id: string; token: string; as: ReturnType<typeof auth> }>;
  newProject(name?: string, orgId?: string): Promise<string>;
  newOrg(name?: string): Promise<string>;
}

export async function createWorld(ts: TestServer, transport: Transport = connectTransport(ts)): Promise<World> {
  const c = clientsFor(transport);
  const admin = auth(ts.adminToken);
  const asAdminIn = (orgId?: string) => auth(ts.adminToken, orgId);
  const newProject = async (name = `project ${++seq}`, orgId?: string) =>
    (await c.projects.createProject({ name }, asAdminIn(orgId))).project!.id;
  const world: World = {
    c,
    admin,
    projectId: await newProject(),
    async newUser(name = `user${++seq}`, orgId) {
      const email = `${name}@example.com`;
      const user = (await c.users.createUser({ email, firstName: name, lastName: "Tester" }, asAdminIn(orgId))).user!;
      const { secret } = await c.tokens.createToken({ principal: { case: "userId", value: user.id } }, asAdminIn(orgId));
      return { id: user.id, email, token: secret, as: auth(secret) };
    },
    async newIdentity(name = `bot${++seq}`, orgId) {
      const identity = (await c.identities.createIdentity({ name }, asAdminIn(orgId))).identity!;
      const { secret } = await c.tokens.createToken({ principal: { case: "identityId", value: identity.id } }, asAdminIn(orgId));
      return { id: identity.id, token: secret, as: auth(secret) };
    },
    newProject,
    async newOrg(name = `org ${++seq}`) {
      return (await c.orgs.createOrganization({ name }, admin)).organization!.id;
    },
  };
  return world;
}
