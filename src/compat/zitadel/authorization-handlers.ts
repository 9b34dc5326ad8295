// zitadel.authorization.v2beta.AuthorizationService: an authorization is a
// user's project membership, seen through its role keys that are not PROJECT_*
// (zitadel-roles.ts); its id is the membership's. Deactivating suspends the
// membership and activating resumes it, so the row, its roles and its history
// stay: ZITADEL's inactive grant is kept and visible, which is what SUSPENDED
// is here (deactivation here ends a membership, which is DeleteAuthorization).
// Projects and authorizations are those of the organization of the call; the
// permission on an authorization's project is checked before its request is
// validated, as route admission does for a request that names the project.
import { AuthorizationService } from "../../../gen/zitadel/authorization/v2beta/authorization_service_pb.js";
import { permanent } from "../../access/role-assignment.ts";
import type { CallContext } from "../../kernel/deps.ts";
import { failedPrecondition } from "../../kernel/errors.ts";
import type { RoleSetService } from "../../membership/membership-role-sets.ts";
import { ts } from "../../rpc/common-mappers.ts";
import { unary, type Route } from "../../rpc/route.ts";
import { listAuthorizations, type AuthorizationSources } from "./authorization-list.ts";
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
  const admit = (call: CallContext, id: string, permission: "project.member.write" | "project.member.delete") => s.resources.admitMembership(call, id, permission);
  const activation = (active: boolean) => async (req: { id: string }, call: CallContext) => {
    await admit(call, req.id, write.permission);
    const w = await renamed(s.roleSets.setActive(call, { membershipId: req.id, set, active }), FIELDS);
    return { changeDate: ts(w.membership?.updatedAt ?? w.now) };
  };
  return [
    unary(A.listAuthorizations, { scope: "authenticated" }, (req, call) => listAuthorizations(s, call, req), ZITADEL),
    unary(
      A.createAuthorization,
      write,
      async (req, call) => {
        if (req.organizationId !== undefined && req.organizationId !== "" && req.organizationId !== call.orgId) {
          // The organization must own the project or hold a grant of it; grants are not served here.
          throw failedPrecondition("project_grant.not_found", `organization ${req.organizationId.slice(0, 200)} has no grant of project ${req.projectId}`);
        }
        const target = { projectId: req.projectId, principal: { type: "user" as const, id: req.userId } };
        const w = await renamed(s.roleSets.put(call, { target, set, roles: roleKeys(req.roleKeys), create: true }), FIELDS);
        return { id: w.membership!.id, creationDate: ts(w.now) };
      },
      ZITADEL,
    ),
    unary(
      A.updateAuthorization,
      write,
      async (req, call) => {
        await admit(call, req.id, write.permission);
        const w = await renamed(s.roleSets.put(call, { target: { membershipId: req.id }, set, roles: roleKeys(req.roleKeys), create: false }), FIELDS);
        return { changeDate: ts(w.membership?.updatedAt ?? w.now) };
      },
      ZITADEL,
    ),
    unary(
      A.deleteAuthorization,
      remove,
      async (req, call) => {
        // Gone already, or never there, is the desired state: success without a deletion date.
        await admit(call, req.id, remove.permission);
        const r = await renamed(s.roleSets.remove(call, { target: { membershipId: req.id }, set }), FIELDS);
        return { deletionDate: r.removed ? ts(r.now) : undefined };
      },
      ZITADEL,
    ),
    unary(A.activateAuthorization, write, activation(true), ZITADEL),
    unary(A.deactivateAuthorization, write, activation(false), ZITADEL),
  ];
}
