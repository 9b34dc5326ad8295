// Records ↔ API messages for membership.v1. Handlers call these; nothing here
// decides anything.
import type { DescMessage, JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { AuditEventSchema } from "../../gen/membership/v1/audit_pb.js";
import { MembershipStatus, PrincipalType, TemporaryMode } from "../../gen/membership/v1/common_pb.js";
import type { IdentitySchema } from "../../gen/membership/v1/identity_pb.js";
import type {
  IdentityMembership,
  Membership,
  MembershipIdentity,
  MembershipRole,
  MembershipUser,
  RoleAssignment,
} from "../../gen/membership/v1/membership_pb.js";
import type { OrganizationSchema } from "../../gen/membership/v1/organization_pb.js";
import type { ProjectRoleSchema, ProjectSchema } from "../../gen/membership/v1/project_pb.js";
import type { TokenSchema } from "../../gen/membership/v1/token_pb.js";
import type { UserSchema } from "../../gen/membership/v1/user_pb.js";
import type { Details } from "../audit/audit-log.ts";
import { invalidArgument } from "../kernel/errors.ts";
import type { CatalogRole } from "../projects/project-role-service.ts";
import type {
  AuditRecord,
  IdentityRecord,
  MembershipRoleView,
  MembershipStatus as Status,
  MembershipView,
  OrgRecord,
  PrincipalType as Type,
  ProjectRecord,
  TokenRecord,
  UserRecord,
} from "../kernel/records.ts";
import type { RoleRequest } from "../access/role-assignment.ts";

type Init<T extends DescMessage> = MessageInitShape<T>;

export const ts = (ms: number | null | undefined): Timestamp | undefined => (ms == null ? undefined : timestampFromMs(ms));

/** Milliseconds of a timestamp, or null; refuses values a Date cannot hold. */
export function msOf(t: Timestamp | undefined): number | null {
  if (!t) return null;
  const ms = Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : NaN;
}

const STATUS_TO_PROTO: Record<Status, MembershipStatus> = {
  active: MembershipStatus.ACTIVE,
  invited: MembershipStatus.INVITED,
  suspended: MembershipStatus.SUSPENDED,
  deactivated: MembershipStatus.DEACTIVATED,
};
const STATUS_FROM_PROTO = new Map(Object.entries(STATUS_TO_PROTO).map(([k, v]) => [v, k as Status]));

/** Unknown enum numbers come back undefined, for the handler to refuse by field name. */
export const statusFromProto = (s: MembershipStatus): Status | undefined => STATUS_FROM_PROTO.get(s);
export const principalTypeToProto = (t: Type) => (t === "user" ? PrincipalType.USER : PrincipalType.IDENTITY);
export const principalTypeFromProto = (t: PrincipalType): Type | null | undefined =>
  t === PrincipalType.USER ? "user" : t === PrincipalType.IDENTITY ? "identity" : t === PrincipalType.UNSPECIFIED ? null : undefined;

/** A time field of a request: null when unset, INVALID_ARGUMENT naming the field when out of range. */
export function timeField(field: string, t: Timestamp | undefined): number | null {
  const ms = msOf(t);
  if (ms !== null && Number.isNaN(ms)) throw invalidArgument(field, "is out of range");
  return ms;
}

/** A user_id / identity_id oneof; type null when unset, for the domain to refuse by field name. */
export function principalFromOneof(
  p: { case: "userId" | "identityId"; value: string } | { case: undefined; value?: undefined },
): { type: Type | null; id: string } {
  return { type: p.case === "userId" ? "user" : p.case === "identityId" ? "identity" : null, id: p.value ?? "" };
}

export function roleRequestsFromProto(field: string, roles: RoleAssignment[]): RoleRequest[] {
  return roles.map((r, i) => ({
    role: r.role,
    isTemporary: r.isTemporary,
    temporaryMode: r.temporaryMode === TemporaryMode.RELATIVE ? "relative" : null,
    temporaryRange: r.temporaryRange,
    startAt: timeField(`${field}[${i}].temporary_access_start_time`, r.temporaryAccessStartTime),
  }));
}

/** Plain fields, so membership.v1 and zitadel.v1 ObjectDetails (same wire shape) both take it. */
export const detailsToProto = (d: Details) => ({
  sequence: BigInt(d.sequence),
  creationDate: ts(d.creationDate),
  changeDate: ts(d.changeDate),
  resourceOwner: d.resourceOwner,
});

export const orgToProto = (o: OrgRecord): Init<typeof OrganizationSchema> => ({ id: o.id, name: o.name, createdAt: ts(o.createdAt) });

export const projectToProto = (p: ProjectRecord): Init<typeof ProjectSchema> => ({
  id: p.id,
  organizationId: p.organizationId,
  name: p.name,
  description: p.description,
  createdAt: ts(p.createdAt),
});

export const userToProto = (u: UserRecord): Init<typeof UserSchema> => ({
  id: u.id,
  organizationId: u.organizationId,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  createdAt: ts(u.createdAt),
});

export const identityToProto = (i: IdentityRecord): Init<typeof IdentitySchema> => ({
  id: i.id,
  organizationId: i.organizationId,
  name: i.name,
  createdAt: ts(i.createdAt),
});

export const tokenToProto = (t: TokenRecord): Init<typeof TokenSchema> => ({
  id: t.id,
  organizationId: t.organizationId,
  principalType: principalTypeToProto(t.principalType),
  principalId: t.principalId,
  description: t.description,
  createdAt: ts(t.createdAt),
  expireTime: ts(t.expiresAt),
  revokedAt: ts(t.revokedAt),
});

export const catalogRoleToProto = (r: CatalogRole): Init<typeof ProjectRoleSchema> => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  builtIn: r.builtIn,
  createdAt: ts(r.createdAt),
  updatedAt: ts(r.updatedAt),
});

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

const asStruct = (v: unknown): JsonObject | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : undefined;

export const auditEventToProto = (e: AuditRecord): Init<typeof AuditEventSchema> => ({
  sequence: BigInt(e.sequence),
  time: ts(e.time),
  organizationId: e.organizationId,
  projectId: e.projectId ?? "",
  actorType: e.actorType,
  actorId: e.actorId,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  requestId: e.requestId,
  before: asStruct(e.before),
  after: asStruct(e.after),
});
