// ZITADEL's own published client code (@zitadel/proto, protobuf-es v2) pointed
// at our server: if these calls work, ZITADEL's SDKs and console do too.
import { Code, createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { expect } from "vitest";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { TokenService } from "../../gen/membership/v1/token_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { errorOf } from "./call-outcomes.ts";
import type { Protocol } from "./protocol-matrix.ts";
import { auth, type TestServer } from "./server.ts";

export type ManagementClient = Client<typeof ManagementService>;

export const ORG_HEADER = "x-zitadel-orgid";

export function managementClient(transport: Transport): ManagementClient {
  return createClient(ManagementService, transport);
}

/** Sets the organization on every request, the way ZITADEL's console does. */
export function orgInterceptor(orgId: string): Interceptor {
  return (next) => (req) => {
    req.header.set(ORG_HEADER, orgId);
    return next(req);
  };
}

export function bearerInterceptor(token: string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
}

/** Per-call organization, for calls whose transport has no orgInterceptor. */
export const inOrg = (orgId: string) => ({ headers: { [ORG_HEADER]: orgId } });

export interface ZitadelError {
  code: number;
  /** The status message without Connect's "[code]" prefix. */
  message: string;
  /** The zitadel.v1.ErrorDetail, when the error carries one. */
  detail: { id: string; message: string } | undefined;
}

/** The code, message and ZITADEL error detail of a call that must fail (errorOf's contract). */
export async function zitadelErrorOf(call: Promise<unknown>): Promise<ZitadelError> {
  const err = await errorOf(call);
  const [detail] = err.findDetails(ErrorDetailSchema);
  return { code: err.code, message: err.rawMessage, detail: detail && { id: detail.id, message: detail.message } };
}

/** Native clients for setup and for cross-checks, over Connect h2c. */
export function nativeClients(baseUrl: string) {
  const transport = createConnectTransport({ baseUrl, httpVersion: "2" });
  return {
    orgs: createClient(OrganizationService, transport),
    projects: createClient(ProjectService, transport),
    users: createClient(UserService, transport),
    tokens: createClient(TokenService, transport),
    members: createClient(MembershipService, transport),
  };
}

let seq = 0;

export interface ZitadelWorld {
  ts: TestServer;
  native: ReturnType<typeof nativeClients>;
  /** As the instance administrator, in its own organization unless a call sets the header. */
  z: ManagementClient;
  /** As the instance administrator, with the organization set by orgInterceptor. */
  zIn(orgId: string): ManagementClient;
  /** As a bearer of `token`, optionally with orgInterceptor. */
  zAs(token: string, orgId?: string): ManagementClient;
  newOrg(): Promise<string>;
  newProject(orgId?: string): Promise<string>;
  newUser(u?: { firstName?: string; lastName?: string; email?: string }, orgId?: string): Promise<{ id: string; email: string }>;
  tokenFor(userId: string, orgId?: string): Promise<string>;
}

export function createZitadelWorld(ts: TestServer, t: Protocol): ZitadelWorld {
  const native = nativeClients(ts.url);
  const admin = bearerInterceptor(ts.adminToken);
  const asAdminIn = (orgId?: string) => auth(ts.adminToken, orgId);
  const zAs = (token: string, orgId?: string) =>
    managementClient(t.transport(ts.url, { interceptors: [bearerInterceptor(token), ...(orgId ? [orgInterceptor(orgId)] : [])] }));
  return {
    ts,
    native,
    z: managementClient(t.transport(ts.url, { interceptors: [admin] })),
    zIn: (orgId) => zAs(ts.adminToken, orgId),
    zAs,
    newOrg: async () => (await native.orgs.createOrganization({ name: `org ${++seq}` }, asAdminIn())).organization!.id,
    newProject: async (orgId) => (await native.projects.createProject({ name: `project ${++seq}` }, asAdminIn(orgId))).project!.id,
    async newUser(u = {}, orgId) {
      const n = ++seq;
      const email = u.email ?? `user${n}@example.com`;
      const req = { email, firstName: u.firstName ?? `First${n}`, lastName: u.lastName ?? `Last${n}` };
      return { id: (await native.users.createUser(req, asAdminIn(orgId))).user!.id, email };
    },
    tokenFor: async (userId, orgId) =>
      (await native.tokens.createToken({ principal: { case: "userId", value: userId } }, asAdminIn(orgId))).secret,
  };
}

/**
 * Asserts a failing call the way ZITADEL's clients read it: the code, a
 * zitadel.v1.ErrorDetail with an id, and a status message ending in " (<id>)".
 * Returns the id, for stability checks.
 */
export async function expectZitadelError(call: Promise<unknown>, code: Code): Promise<string> {
  const e = await zitadelErrorOf(call);
  expect(Code[e.code], e.message).toBe(Code[code]);
  expect(e.detail?.id, `no zitadel.v1.ErrorDetail on: ${e.message}`).toBeTruthy();
  expect(e.message.endsWith(` (${e.detail!.id})`), `"${e.message}" should end in " (${e.detail!.id})"`).toBe(true);
  return e.detail!.id;
}
