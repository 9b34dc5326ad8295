// ZITADEL's side of the test world: its published ManagementService client
// (@zitadel/proto, protobuf-es v2) over the world's protocol, the
// interceptors its console sets, and how its clients read an error. If these
// calls work, ZITADEL's SDKs and console do too.
import { Code, createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { expect } from "vitest";
import { errorOf } from "./call-outcomes.ts";
import type { World } from "./fixtures.ts";

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

export interface ZitadelClients {
  /** Authenticated per call, like the world's native clients. */
  zitadel: ManagementClient;
  /** As its console calls it: the bearer, and the organization if given, set by interceptors. */
  zAs(token: string, orgId?: string): ManagementClient;
  /** zAs for the instance administrator, in its own organization. */
  z: ManagementClient;
  /** zAs for the instance administrator, in `orgId`. */
  zIn(orgId: string): ManagementClient;
}

/** Extends a world with ZITADEL's clients: useWorld(opts, zitadelClients). */
export function zitadelClients(w: World): ZitadelClients {
  const zAs = (token: string, orgId?: string) =>
    managementClient(w.transport([bearerInterceptor(token), ...(orgId ? [orgInterceptor(orgId)] : [])]));
  return { zitadel: managementClient(w.transport()), zAs, z: zAs(w.ts.adminToken), zIn: (orgId) => zAs(w.ts.adminToken, orgId) };
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
