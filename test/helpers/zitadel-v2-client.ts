// ZITADEL's published v2beta clients (@zitadel/proto) pointed at our server,
// beside the v1 and native clients of zitadel-client.ts.
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { AuthorizationService } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_service_pb.js";
import { InternalPermissionService } from "@zitadel/proto/zitadel/internal_permission/v2beta/internal_permission_service_pb.js";
import { auth, startTestServer, type TestServer } from "./server.ts";
import { bearerInterceptor, createZitadelWorld, orgInterceptor, type ZitadelTransport, type ZitadelWorld } from "./zitadel-client.ts";

export interface V2Clients {
  perms: Client<typeof InternalPermissionService>;
  authz: Client<typeof AuthorizationService>;
}

export const v2Clients = (transport: Transport): V2Clients => ({
  perms: createClient(InternalPermissionService, transport),
  authz: createClient(AuthorizationService, transport),
});

export interface V2World extends ZitadelWorld {
  /** As the instance administrator, in its own organization unless a call sets the header. */
  v2: V2Clients;
  /** As the instance administrator, acting in `orgId` (x-zitadel-orgid). */
  v2In(orgId: string): V2Clients;
  /** As a bearer of `token`, optionally with x-zitadel-orgid. */
  v2As(token: string, orgId?: string): V2Clients;
  /** A custom role of the project, created natively. */
  newRole(projectId: string, slug: string, orgId?: string): Promise<void>;
}

export function createV2World(ts: TestServer, t: ZitadelTransport): V2World {
  const w = createZitadelWorld(ts, t);
  const v2As = (token: string, orgId?: string) => v2Clients(t.make(ts.url, [bearerInterceptor(token), ...(orgId ? [orgInterceptor(orgId)] : [])]));
  return {
    ...w,
    v2: v2As(ts.adminToken),
    v2In: (orgId) => v2As(ts.adminToken, orgId),
    v2As,
    async newRole(projectId, slug, orgId) {
      await w.native.projects.createProjectRole({ projectId, slug, name: `Role ${slug}`, permissions: ["project.read"] }, auth(ts.adminToken, orgId));
    },
  };
}

/** A server with a fresh organization, and v2 clients acting in it as the instance administrator. */
export async function startV2Suite(t: ZitadelTransport): Promise<{ ts: TestServer; w: V2World; org: string; v2: V2Clients }> {
  const ts = await startTestServer();
  const w = createV2World(ts, t);
  const org = await w.newOrg();
  return { ts, w, org, v2: w.v2In(org) };
}
