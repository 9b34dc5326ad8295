// zitadel.authorization.v2beta.AuthorizationService: an authorization is a
// user's project membership, seen through its role keys that are not PROJECT_*
// (zitadel-roles.ts); its id is the membership's. Deactivating suspends the
// membership and activating resumes it, so the row, its roles and its history
// stay: ZITADEL's inactive grant is kept and visible, which is what SUSPENDED
// is here (deactivation here ends a membership, which is DeleteAuthorization).
// A write acts in the organization that owns the project or membership.
import { AuthorizationService } from "../../../gen/zitadel/authorization/v2beta/authorization_service_pb.js";
import { permanent } from "../../access/role-assignment.ts";
import type { CallContext } from "../../kernel/deps.ts";
import { failedPrecondition } from "../../kernel/errors.ts";
import type { RoleSetService } from "../../membership/membership-role-sets.ts";
import { ts } from "../../rpc/common-mappers.ts";
import { unary, type Route } from "../../rpc/route.ts";
import { listAuthorizations, type AuthorizationSources } from "./authorization-list.ts";
import { unlessHidden } from "./v2-filters.ts";
import { renamed } from "./v2-mappers.ts";
import { ZITADEL } from "./zitadel-errors.ts";
import { AUTHORIZATION_ROLES, NO_ROLE_KEYS } from "./zitadel-roles.ts";

export interface AuthorizationServices extends AuthorizationSources {
  roleSets: RoleSetService;
}

/** Field names as the v2beta request has them. */
const FIELDS: [RegExp, string][] = [
  [/^roles\[(\d+)\]\.role$/, "role_keys[$1]"],
  [/^roles$/, "role_keys"],
  [/^membership_id$/, "id"],
];

/** No role keys are held as the role that grants nothing, so that the authorization stays one. */
const roleKeys = (keys: string[]) => (keys.length === 0 ? [NO_ROLE_KEYS] : keys).map(permanent);

const A = AuthorizationService.method;
const write = { scope: "project", permission: "project.member.write" } as const;
const remove = { scope: "project", permission: "project.member.delete" } as const;

export function zitadelAuthorizationRoutes(s: AuthorizationServices): Route[] {
  const set = AUTHORIZATION_ROLES;
  const byId = (call: CallContext, id: string) => renamed(s.scope.ofMembership(call, id), FIELDS);
  const activation = (active: boolean) => async (req: { id: string }, call: CallContext) => {
    const w = await renamed(s.roleSets.setActive(await byId(call, req.id), { membershipId: req.id, set, active }), FIELDS);
    return { changeDate: ts(w.membership?.updatedAt ?? w.now) };
  };
  return [
    unary(A.listAuthorizations, { scope: "authenticated" }, (req, call) => listAuthorizations(s, call, req), ZITADEL),
    unary(
      A.createAuthorization,
      write,
      async (req, call) => {
        const ctx = await s.scope.ofProject(call, req.projectId);
        if (req.organizationId !== undefined && req.organizationId !== "" && req.organizationId !== ctx.orgId) {
          // The organization must own the project or hold a grant of it; grants are not served here.
          throw failedPrecondition("project_grant.not_found", `organization ${req.organizationId.slice(0, 200)} has no grant of project ${req.projectId}`);
        }
        const target = { projectId: req.projectId, principal: { type: "user" as const, id: req.userId } };
        const w = await renamed(s.roleSets.put(ctx, { target, set, roles: roleKeys(req.roleKeys), create: true }), FIELDS);
        return { id: w.membership!.id, creationDate: ts(w.now) };
      },
      ZITADEL,
    ),
    unary(
      A.updateAuthorization,
      write,
      async (req, call) => {
        const ctx = await byId(call, req.id);
        const w = await renamed(s.roleSets.put(ctx, { target: { membershipId: req.id }, set, roles: roleKeys(req.roleKeys), create: false }), FIELDS);
        return { changeDate: ts(w.membership?.updatedAt ?? w.now) };
      },
      ZITADEL,
    ),
    unary(
      A.deleteAuthorization,
      remove,
      async (req, call) => {
        // Gone already, or never there: the desired state, so success without a deletion date.
        const ctx = await unlessHidden(byId(call, req.id));
        if (!ctx) return {};
        const r = await renamed(s.roleSets.remove(ctx, { target: { membershipId: req.id }, set }), FIELDS);
        return { deletionDate: r.removed ? ts(r.now) : undefined };
      },
      ZITADEL,
    ),
    unary(A.activateAuthorization, write, activation(true), ZITADEL),
    unary(A.deactivateAuthorization, write, activation(false), ZITADEL),
  ];
}
