// ZITADEL splits what this server keeps as one project membership in two:
// project members ("administrators", with the PROJECT_* roles) and user
// grants ("authorizations", with the project's other role keys). Each view
// manages its own roles of the membership and keeps the other's.
import type { MembershipView } from "../../kernel/records.ts";
import type { RoleSet } from "../../membership/membership-role-sets.ts";

/** ZITADEL's project member roles are the built-in roles named PROJECT_*. */
export const isProjectMemberRole = (slug: string) => slug.startsWith("PROJECT_");

/** A project administrator: a membership holding a PROJECT_* role. */
export const ADMINISTRATOR_ROLES: RoleSet = {
  includes: isProjectMemberRole,
  heldBy: (m: MembershipView) => m.roles.some((r) => isProjectMemberRole(r.role)),
};

/**
 * What an authorization without role keys holds: the built-in role that
 * grants nothing. Without it, emptying the keys of a member that is also an
 * administrator would leave only PROJECT_* roles, and the authorization would
 * be gone. Lists show it as no role key.
 */
export const NO_ROLE_KEYS = "no-access";

/**
 * An authorization: a membership holding a role key that is not PROJECT_*,
 * or no role at all (a member without roles is authorized for nothing, but
 * authorized on the project all the same).
 */
export const AUTHORIZATION_ROLES: RoleSet = {
  includes: (slug) => !isProjectMemberRole(slug),
  heldBy: (m: MembershipView) => m.roles.length === 0 || m.roles.some((r) => !isProjectMemberRole(r.role)),
};

/** The role keys an authorization shows. */
export const roleKeysOf = (m: MembershipView) => m.roles.map((r) => r.role).filter((r) => !isProjectMemberRole(r) && r !== NO_ROLE_KEYS);
