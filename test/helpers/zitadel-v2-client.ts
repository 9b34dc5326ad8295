// ZITADEL's published v2beta clients (@zitadel/proto) pointed at our server:
// an extension of the test world (fixtures.ts), beside zitadelClients'
// ManagementService, over the world's protocol.
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { AuthorizationService } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_service_pb.js";
import { InternalPermissionService } from "@zitadel/proto/zitadel/internal_permission/v2beta/internal_permission_service_pb.js";
import type { World } from "./fixtures.ts";
import { auth } from "./server.ts";
import { bearerInterceptor, orgInterceptor, zitadelClients, type ZitadelClients } from "./zitadel-client.ts";

export interface V2Services {
  perms: Client<typeof InternalPermissionService>;
  authz: Client<typeof AuthorizationService>;
}

const v2Services = (transport: Transport): V2Services => ({
  perms: createClient(InternalPermissionService, transport),
  authz: createClient(AuthorizationService, transport),
});

export interface V2Clients {
  /** Authenticated per call, like the world's native clients. */
  v2PerCall: V2Services;
  /** As the instance administrator, in its own organization unless a call sets the header. */
  v2: V2Services;
  /** As the instance administrator, acting in `orgId` (x-zitadel-orgid). */
  v2In(orgId: string): V2Services;
  /** As a bearer of `token`, optionally with x-zitadel-orgid, both set by interceptors as ZITADEL's console does. */
  v2As(token: string, orgId?: string): V2Services;
  /** A custom role of the project, created natively. */
  newRole(projectId: string, slug: string, orgId?: string): Promise<void>;
}

/** Extends a world with ZITADEL's v2beta clients: useWorld(opts, v2Clients), or with zitadelClients beside it. */
export function v2Clients(w: World): V2Clients {
  const v2As = (token: string, orgId?: string) =>
    v2Services(w.transport([bearerInterceptor(token), ...(orgId ? [orgInterceptor(orgId)] : [])]));
  return {
    v2PerCall: v2Services(w.transport()),
    v2: v2As(w.ts.adminToken),
    v2In: (orgId) => v2As(w.ts.adminToken, orgId),
    v2As,
    async newRole(projectId, slug, orgId) {
      await w.c.projects.createProjectRole({ projectId, slug, name: `Role ${slug}`, permissions: ["project.read"] }, auth(w.ts.adminToken, orgId));
    },
  };
}

/** ZITADEL's v1 and v2beta clients together: useWorld(opts, zitadelV2Clients). */
export const zitadelV2Clients = (w: World): ZitadelClients & V2Clients => ({ ...zitadelClients(w), ...v2Clients(w) });

/** A fresh organization, and v2 clients acting in it as the instance administrator: a v2 suite's own corner of its world. */
export async function inNewOrg(w: World & V2Clients): Promise<{ org: string; v2: V2Services }> {
  const org = await w.newOrg();
  return { org, v2: w.v2In(org) };
}
