// Infisical's project role slugs and this server's roles, in one place.
//
// Granting: Infisical's built-in slugs (admin, member, viewer, no-access) are
// built-in roles of the same slug here, with the same meaning; any other
// slug names a custom role of the project, which the domain looks up and
// refuses when the project has none of that slug. "custom" is what Infisical
// writes in place of a custom role's slug when it reads one back, so it
// names no role to grant.
//
// Reading: a custom role reads as Infisical writes one, role "custom" with
// its id, name and slug beside it; a built-in role reads as its slug, the
// ZITADEL-style PROJECT_* roles included, so a client can send back what it
// read and grant the same.
import { invalidArgument } from "../../kernel/errors.ts";
import type { MembershipRoleView } from "../../kernel/records.ts";

/** The slugs Infisical's projects have built in; each is a built-in role here too. */
export const INFISICAL_BUILT_IN_ROLES = ["admin", "member", "viewer", "no-access"] as const;

/** What Infisical writes as the role of a membership role that is a custom role. */
export const CUSTOM = "custom";

/** The slug of the role to grant, for the domain to resolve; `field` names it in errors. */
export function roleToGrant(field: string, slug: string): string {
  if (slug === CUSTOM) throw invalidArgument(field, 'give the custom role\'s own slug; "custom" names no role', "role.unknown");
  return slug;
}

/** The role fields of a membership role as Infisical writes them. */
export function roleAsRead(r: MembershipRoleView) {
  const custom = r.customRoleId !== null;
  return {
    role: custom ? CUSTOM : r.role,
    customRoleId: r.customRoleId,
    customRoleName: custom ? r.customRoleName : null,
    customRoleSlug: custom ? (r.customRoleSlug ?? r.role) : null,
  };
}
