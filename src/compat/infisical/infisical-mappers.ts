// Memberships as Infisical's API reference writes them: ISO 8601 times in
// UTC, null where a value is absent, role fields as infisical-roles.ts maps
// them.
import type { MembershipRoleView, MembershipView, ProjectRecord } from "../../kernel/records.ts";
import { roleAsRead } from "./infisical-roles.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A role of a membership, as the lists write it. */
export function roleJson(r: MembershipRoleView) {
  return {
    id: r.id,
    ...roleAsRead(r),
    isTemporary: r.isTemporary,
    temporaryMode: r.isTemporary ? r.temporaryMode : null,
    temporaryRange: r.isTemporary ? r.temporaryRange : null,
    temporaryAccessStartTime: iso(r.isTemporary ? r.startAt : null),
    temporaryAccessEndTime: iso(r.isTemporary ? r.endAt : null),
  };
}

/**
 * A role as PATCH answers it: the reference's row of the membership's roles
 * (projectMembershipId, createdAt, updatedAt), with the custom role's name
 * and slug that the lists carry as well.
 */
export function membershipRoleJson(r: MembershipRoleView) {
  return { ...roleJson(r), projectMembershipId: r.membershipId, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) };
}

/** The membership row that POST and DELETE answer. */
export function identityMembershipJson(m: MembershipView) {
  return { id: m.id, projectId: m.projectId, identityId: m.principalId, createdAt: iso(m.createdAt), updatedAt: iso(m.updatedAt) };
}

/** An entry of the identity membership list, with its identity and project. */
export function identityMembershipItemJson(m: MembershipView, project: ProjectRecord) {
  return {
    id: m.id,
    identityId: m.principalId,
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    roles: m.roles.map(roleJson),
    // Identities here authenticate with the server's own tokens only: no Infisical auth method is configured on them.
    identity: { name: m.identity?.name ?? "", id: m.principalId, projectId: null, orgId: m.identity?.organizationId ?? m.organizationId, authMethods: [] },
    project: { name: project.name, id: project.id },
  };
}

/** An entry of the user membership list. Users here have no key pair: publicKey is null. */
export function userMembershipJson(m: MembershipView) {
  const u = m.user;
  return {
    id: m.id,
    createdAt: iso(m.createdAt),
    userId: m.principalId,
    projectId: m.projectId,
    user: { email: u?.email ?? null, firstName: u?.firstName ?? null, lastName: u?.lastName ?? null, id: m.principalId, username: u?.email ?? "", publicKey: null },
    roles: m.roles.map(roleJson),
  };
}
