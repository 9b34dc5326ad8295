// Plain objects the store returns and takes. Times are milliseconds since the
// Unix epoch; absent times are null. The domain never sees driver types.

export type PrincipalType = "user" | "identity";
export type MembershipStatus = "active" | "invited" | "suspended" | "deactivated";

export interface OrgRecord {
  id: string;
  name: string;
  createdAt: number;
}

export interface UserRecord {
  id: string;
  organizationId: string;
  email: string;
  firstName: string;
  lastName: string;
  isInstanceAdmin: boolean;
  createdAt: number;
}

export interface IdentityRecord {
  id: string;
  organizationId: string;
  name: string;
  createdAt: number;
}

export interface TokenRecord {
  id: string;
  organizationId: string;
  principalType: PrincipalType;
  principalId: string;
  description: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface ProjectRecord {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  createdAt: number;
}

export interface CustomRoleRecord {
  id: string;
  projectId: string;
  slug: string;
  name: string;
  description: string;
  permissions: string[];
  createdAt: number;
  updatedAt: number;
}

export interface MembershipRoleRecord {
  id: string;
  membershipId: string;
  role: string;
  customRoleId: string | null;
  isTemporary: boolean;
  temporaryMode: "relative" | null;
  temporaryRange: string | null;
  startAt: number | null;
  endAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A role as read back: with the custom role's current name and slug. */
export interface MembershipRoleView extends MembershipRoleRecord {
  customRoleName: string | null;
  customRoleSlug: string | null;
}

export interface MembershipRecord {
  id: string;
  projectId: string;
  organizationId: string;
  principalType: PrincipalType;
  principalId: string;
  status: MembershipStatus;
  invitedAt: number | null;
  activatedAt: number | null;
  suspendedAt: number | null;
  deactivatedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A membership with its principal and roles, as lists and reads return it. */
export interface MembershipView extends MembershipRecord {
  /** The audit sequence of the last change to this membership. */
  lastSequence: number;
  user: { id: string; email: string; firstName: string; lastName: string; organizationId: string } | null;
  identity: { id: string; name: string; organizationId: string } | null;
  roles: MembershipRoleView[];
}

export interface AuditRecord {
  sequence: number;
  time: number;
  organizationId: string;
  projectId: string | null;
  actorType: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string;
  before: unknown;
  after: unknown;
}

/** A stored row as a database driver returns it: what each feature's row mappers (<feature>-rows.ts) read. */
export type Row = Record<string, any>;
