// Rows of memberships and their roles as views, the same for both stores
// (SQLite stores flags as 0 or 1, PostgreSQL as booleans). A role's custom
// role name and slug are read when the row carries them (custom_name,
// custom_slug), else left for the repository to fill in.
import type { MembershipRoleView, MembershipView, Row } from "../kernel/records.ts";

export const toRole = (r: Row): MembershipRoleView => ({
  id: r.id,
  membershipId: r.membership_id,
  role: r.role,
  customRoleId: r.custom_role_id,
  customRoleName: r.custom_name ?? null,
  customRoleSlug: r.custom_slug ?? null,
  isTemporary: Boolean(r.is_temporary),
  temporaryMode: r.temporary_mode,
  temporaryRange: r.temporary_range,
  startAt: r.start_at,
  endAt: r.end_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function toView(r: Row, roles: MembershipRoleView[]): MembershipView {
  return {
    id: r.id,
    projectId: r.project_id,
    organizationId: r.organization_id,
    principalType: r.principal_type,
    principalId: r.principal_id,
    status: r.status,
    invitedAt: r.invited_at,
    activatedAt: r.activated_at,
    suspendedAt: r.suspended_at,
    deactivatedAt: r.deactivated_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastSequence: r.last_sequence,
    user:
      r.user_id === null
        ? null
        : { id: r.user_id, email: r.user_email, firstName: r.user_first_name, lastName: r.user_last_name, organizationId: r.user_org },
    identity: r.identity_id === null ? null : { id: r.identity_id, name: r.identity_name, organizationId: r.identity_org },
    roles,
  };
}
