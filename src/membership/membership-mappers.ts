// Memberships, their roles and role requests ↔ membership.v1 messages.
import { MembershipStatus, TemporaryMode } from "../../gen/membership/v1/common_pb.js";
import type {
  IdentityMembership,
  MembershipFilter as FilterMessage,
  Membership,
  MembershipIdentity,
  MembershipRole,
  MembershipUser,
  RoleAssignment,
} from "../../gen/membership/v1/membership_pb.js";
import { permanent, type RoleRequest } from "../access/role-assignment.ts";
import { invalidArgument, renameField } from "../kernel/errors.ts";
import type { MembershipFilter } from "../kernel/store.ts";
import type { MembershipRoleView, MembershipStatus as Status, MembershipView } from "../kernel/records.ts";
import { principalTypeFromProto, principalTypeToProto, timeField, ts } from "../rpc/common-mappers.ts";

const STATUS_TO_PROTO: Record<Status, MembershipStatus> = {
  active: MembershipStatus.ACTIVE,
  invited: MembershipStatus.INVITED,
  suspended: MembershipStatus.SUSPENDED,
  deactivated: MembershipStatus.DEACTIVATED,
};
const STATUS_FROM_PROTO = new Map(Object.entries(STATUS_TO_PROTO).map(([k, v]) => [v, k as Status]));

/** Unknown enum numbers come back undefined, for the handler to refuse by field name. */
export const statusFromProto = (s: MembershipStatus): Status | undefined => STATUS_FROM_PROTO.get(s);

export function roleRequestsFromProto(field: string, roles: RoleAssignment[]): RoleRequest[] {
  return roles.map((r, i) => ({
    role: r.role,
    isTemporary: r.isTemporary,
    temporaryMode: r.temporaryMode === TemporaryMode.RELATIVE ? "relative" : null,
    temporaryRange: r.temporaryRange,
    startAt: timeField(`${field}[${i}].temporary_access_start_time`, r.temporaryAccessStartTime),
  }));
}

/** A role list as the domain takes it (`roles`), and how the API names its fields. */
export interface RoleInput {
  roles: RoleRequest[];
  apiField(field: string): string;
}

/** The user member RPCs: permanent slugs in `roles`, then `role_assignments`. */
export function userRoleInput(slugs: string[], assignments: RoleAssignment[]): RoleInput {
  const n = slugs.length;
  return {
    roles: [...slugs.map(permanent), ...roleRequestsFromProto("role_assignments", assignments)],
    apiField: (f) => f.replace(/^roles\[(\d+)\]/, (all, i: string) => (Number(i) < n ? all : `role_assignments[${Number(i) - n}]`)),
  };
}

/** The identity membership RPCs: `roles`, or when empty the single `role`, which defaults to no-access. */
export function identityRoleInput(role: string, assignments: RoleAssignment[]): RoleInput {
  if (assignments.length > 0) return { roles: roleRequestsFromProto("roles", assignments), apiField: (f) => f };
  return { roles: [permanent(role === "" ? "no-access" : role)], apiField: (f) => f.replace(/^roles(\[0\]\.role)?/, "role") };
}

/** Runs a domain call with a role input, naming any failing field as the API does. */
export async function withRoleInput<T>(input: RoleInput, call: (roles: RoleRequest[]) => Promise<T>): Promise<T> {
  try {
    return await call(input.roles);
  } catch (err) {
    throw renameField(err, (f) => input.apiField(f));
  }
}

// Memberships are the bulk of list pages, so their messages are built as
// they are, field by field, rather than through protobuf-es's generic
// create(), which showed as about a tenth of ListMemberships' CPU.

export const membershipRoleToProto = (r: MembershipRoleView): MembershipRole => ({
  $typeName: "membership.v1.MembershipRole",
  id: r.id,
  role: r.role,
  customRoleId: r.customRoleId ?? "",
  customRoleName: r.customRoleName ?? "",
  customRoleSlug: r.customRoleSlug ?? "",
  isTemporary: r.isTemporary,
  temporaryMode: r.isTemporary ? TemporaryMode.RELATIVE : TemporaryMode.UNSPECIFIED,
  temporaryRange: r.temporaryRange ?? "",
  temporaryAccessStartTime: ts(r.startAt),
  temporaryAccessEndTime: ts(r.endAt),
  projectMembershipId: r.membershipId,
  createdAt: ts(r.createdAt),
  updatedAt: ts(r.updatedAt),
});

const membershipUser = (u: NonNullable<MembershipView["user"]>): MembershipUser => ({
  $typeName: "membership.v1.MembershipUser",
  id: u.id,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
});

const membershipIdentity = (i: NonNullable<MembershipView["identity"]>): MembershipIdentity => ({
  $typeName: "membership.v1.MembershipIdentity",
  id: i.id,
  name: i.name,
});

const lifecycle = (m: MembershipView) => ({
  status: STATUS_TO_PROTO[m.status],
  invitedAt: ts(m.invitedAt),
  activatedAt: ts(m.activatedAt),
  suspendedAt: ts(m.suspendedAt),
  deactivatedAt: ts(m.deactivatedAt),
  createdAt: ts(m.createdAt),
  updatedAt: ts(m.updatedAt),
});

export const membershipToProto = (m: MembershipView): Membership => ({
  $typeName: "membership.v1.Membership",
  id: m.id,
  projectId: m.projectId,
  principalType: principalTypeToProto(m.principalType),
  userId: m.principalType === "user" ? m.principalId : "",
  identityId: m.principalType === "identity" ? m.principalId : "",
  user: m.user ? membershipUser(m.user) : undefined,
  identity: m.identity ? membershipIdentity(m.identity) : undefined,
  roles: m.roles.map(membershipRoleToProto),
  ...lifecycle(m),
});

export const identityMembershipToProto = (m: MembershipView): IdentityMembership => ({
  $typeName: "membership.v1.IdentityMembership",
  id: m.id,
  projectId: m.projectId,
  identityId: m.principalId,
  identity: m.identity ? membershipIdentity(m.identity) : undefined,
  roles: m.roles.map(membershipRoleToProto),
  ...lifecycle(m),
});

/** A list filter of the API as the domain takes it; unknown enum numbers are refused by field name. */
export function filterFromProto(f: FilterMessage | undefined): MembershipFilter {
  const principalType = principalTypeFromProto(f?.principalType ?? 0);
  if (principalType === undefined) throw invalidArgument("filter.principal_type", "is not a known principal type");
  return {
    role: f?.role ?? "",
    principalType,
    emailPrefix: f?.emailPrefix ?? "",
    statuses: (f?.statuses ?? []).map((s, i) => {
      const status = statusFromProto(s);
      if (!status) throw invalidArgument(`filter.statuses[${i}]`, "is not a known membership status");
      return status;
    }),
  };
}
