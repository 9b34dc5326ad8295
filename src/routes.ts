// The route table: every RPC the server answers, with the permission and
// scope it needs and its error dialect. Connect's router and the unary fast
// path both dispatch from this one list; README's permission table and the
// authorization tests are checked against it.
import type { Services } from "./app.ts";
import { auditChainRoutes } from "./audit/audit-chain-handlers.ts";
import { auditRoutes } from "./audit/audit-handlers.ts";
import { identityRoutes } from "./principals/identity-handlers.ts";
import { membershipRoutes } from "./membership/membership-handlers.ts";
import { organizationRoutes } from "./organizations/organization-handlers.ts";
import { projectRoutes } from "./projects/project-handlers.ts";
import { tokenRoutes } from "./tokens/token-handlers.ts";
import { userRoutes } from "./principals/user-handlers.ts";
import { healthRoutes, type HealthState } from "./edge/health-service.ts";
import type { Route } from "./rpc/route.ts";
import { zitadelManagementRoutes } from "./compat/zitadel/management-handlers.ts";
import { zitadelInternalPermissionRoutes } from "./compat/zitadel/internal-permission-handlers.ts";
import { zitadelAuthorizationRoutes } from "./compat/zitadel/authorization-handlers.ts";
import type { HttpApi } from "./rpc/http-route.ts";
import { infisicalApi } from "./compat/infisical/infisical-routes.ts";
import { canopyApi } from "./compat/canopy/canopy-routes.ts";

export function createRoutes(services: Services, health: HealthState): Route[] {
  const api: Route[] = [
    ...organizationRoutes(services),
    ...userRoutes(services),
    ...identityRoutes(services),
    ...projectRoutes(services),
    ...tokenRoutes(services),
    ...membershipRoutes(services),
    ...auditRoutes(services),
    ...auditChainRoutes(services),
    ...zitadelManagementRoutes(services),
    ...zitadelInternalPermissionRoutes(services),
    ...zitadelAuthorizationRoutes(services),
  ];
  // Health knows every service of the table, itself included, once the table is complete.
  const known: string[] = [];
  const routes = [...healthRoutes(health, () => known), ...api];
  known.push(...new Set(routes.map((r) => r.method.parent.typeName)));
  return routes;
}

/** The APIs served over plain HTTP beside the RPCs, at paths of their own (Infisical's, Canopy's). */
export function createHttpApis(services: Services): HttpApi[] {
  return [infisicalApi(services), canopyApi(services)];
}
