// What the domain needs from storage. Methods may answer synchronously (the
// embedded SQLite store does) or with a promise (a networked store will); the
// domain always awaits. SQL lives only behind these interfaces.
import type {
  AuditRecord,
  CustomRoleRecord,
  IdentityRecord,
  MembershipRecord,
  MembershipRoleRecord,
  MembershipStatus,
  MembershipView,
  OrgRecord,
  PrincipalType,
  ProjectRecord,
  TokenRecord,
  UserRecord,
} from "./records.ts";

export type Awaitable<T> = T | Promise<T>;

/** Keyset page: rows with a key greater than `after`, at most `limit` of them. */
export interface PageQuery {
  after: string | null;
  limit: number;
}

export interface OrgRepo {
  insert(org: OrgRecord): Awaitable<void>;
  get(id: string): Awaitable<OrgRecord | null>;
  /** The organization whose slug this is, or null. */
  findBySlug(slug: string): Awaitable<OrgRecord | null>;
  /** `onlyIds` restricts the list to these organizations. */
  list(page: PageQuery, onlyIds: string[] | null): Awaitable<OrgRecord[]>;
  count(): Awaitable<number>;
  /** Writes the name. */
  update(org: OrgRecord): Awaitable<void>;
  /** Removes the row; everything that refers to it must be gone first. */
  delete(id: string): Awaitable<void>;
}

/** One role a principal holds in an organization, and since when. */
export interface OrgGrant {
  principalType: PrincipalType;
  principalId: string;
  role: string;
  createdAt: number;
}

export interface OrgMemberRepo {
  add(orgId: string, principalType: PrincipalType, principalId: string, role: string, at: number): Awaitable<void>;
  rolesOf(orgId: string, principalType: PrincipalType, principalId: string): Awaitable<string[]>;
  orgsOf(principalType: PrincipalType, principalId: string): Awaitable<string[]>;
  /** Removes every role of the principal in the organization; returns how many there were. */
  removeAll(orgId: string, principalType: PrincipalType, principalId: string): Awaitable<number>;
  /** Principals with roles in the organization, keyed "type:id", in key order. */
  listPrincipals(orgId: string, page: PageQuery): Awaitable<{ principalType: PrincipalType; principalId: string }[]>;
  /** Every role held in the organization, or only those of one principal. */
  grants(orgId: string, principal: { type: PrincipalType; id: string } | null): Awaitable<OrgGrant[]>;
}

export interface UserRepo {
  insert(user: UserRecord): Awaitable<void>;
  get(id: string): Awaitable<UserRecord | null>;
  findByEmail(orgId: string, email: string): Awaitable<UserRecord | null>;
  list(orgId: string, page: PageQuery, emailPrefix: string): Awaitable<UserRecord[]>;
  /** Writes email and names. */
  update(user: UserRecord): Awaitable<void>;
  /** Removes the row (nothing refers to it by foreign key). */
  delete(id: string): Awaitable<void>;
  /** Every user of the organization, in id order. */
  idsInOrganization(orgId: string): Awaitable<string[]>;
}

export interface IdentityRepo {
  insert(identity: IdentityRecord): Awaitable<void>;
  get(id: string): Awaitable<IdentityRecord | null>;
  list(orgId: string, page: PageQuery): Awaitable<IdentityRecord[]>;
  /** Writes the name. */
  update(identity: IdentityRecord): Awaitable<void>;
  /** Removes the row (nothing refers to it by foreign key). */
  delete(id: string): Awaitable<void>;
  /** Every identity of the organization, in id order. */
  idsInOrganization(orgId: string): Awaitable<string[]>;
}

export interface TokenRepo {
  insert(token: TokenRecord, hash: Buffer): Awaitable<void>;
  findByHash(hash: Buffer): Awaitable<TokenRecord | null>;
  get(id: string): Awaitable<TokenRecord | null>;
  revoke(id: string, at: number): Awaitable<void>;
  list(orgId: string, page: PageQuery, principalId: string): Awaitable<TokenRecord[]>;
  /** The principal's tokens that are not revoked (expired ones included), in id order. */
  unrevokedOf(principalType: PrincipalType, principalId: string): Awaitable<TokenRecord[]>;
  /** Removes every token row of the organization, revoked or not; returns how many. */
  deleteInOrganization(orgId: string): Awaitable<number>;
}

export interface ProjectRepo {
  insert(project: ProjectRecord): Awaitable<void>;
  get(id: string): Awaitable<ProjectRecord | null>;
  list(orgId: string, page: PageQuery): Awaitable<ProjectRecord[]>;
  /** Projects of the organization in which the principal has a membership that is not deactivated. */
  listForMember(orgId: string, principalType: PrincipalType, principalId: string, page: PageQuery): Awaitable<ProjectRecord[]>;
  /** Writes name and description. */
  update(project: ProjectRecord): Awaitable<void>;
  /** Removes the row; its memberships and custom roles must be gone first. */
  delete(id: string): Awaitable<void>;
  /** Every project of the organization, in id order. */
  idsInOrganization(orgId: string): Awaitable<string[]>;
}

export interface RoleRepo {
  insert(role: CustomRoleRecord): Awaitable<void>;
  get(id: string): Awaitable<CustomRoleRecord | null>;
  findBySlug(projectId: string, slug: string): Awaitable<CustomRoleRecord | null>;
  listByProject(projectId: string): Awaitable<CustomRoleRecord[]>;
  update(role: CustomRoleRecord): Awaitable<void>;
  delete(id: string): Awaitable<void>;
  /** How many memberships that are not deactivated hold the role. */
  assignmentCount(id: string): Awaitable<number>;
}

export interface MembershipFilter {
  role: string;
  principalType: PrincipalType | null;
  statuses: MembershipStatus[];
  emailPrefix: string;
}

export type TextMatch = "equals" | "starts_with" | "contains" | "ends_with";

/** One text condition of a member search. */
export interface MemberTextQuery {
  field: "first_name" | "last_name" | "email" | "user_id";
  match: TextMatch;
  ignoreCase: boolean;
  value: string;
}

export interface MemberSearch {
  offset: number;
  limit: number;
  asc: boolean;
  statuses: MembershipStatus[];
  queries: MemberTextQuery[];
}

/** Memberships across the projects of an organization; null leaves a condition out. */
export interface OrgMembershipFilter {
  principalType: PrincipalType;
  statuses: MembershipStatus[];
  projectIds: string[] | null;
  principalIds: string[] | null;
  /** Memberships that hold any of these roles. */
  roles: string[] | null;
}

export interface MembershipRepo {
  find(projectId: string, principalType: PrincipalType, principalId: string): Awaitable<MembershipView | null>;
  get(id: string): Awaitable<MembershipView | null>;
  insert(membership: MembershipRecord): Awaitable<void>;
  /** Writes the lifecycle columns and updatedAt. */
  update(membership: MembershipRecord): Awaitable<void>;
  /** Replaces every role of the membership. */
  replaceRoles(membershipId: string, roles: MembershipRoleRecord[]): Awaitable<void>;
  list(projectId: string, filter: MembershipFilter, page: PageQuery): Awaitable<MembershipView[]>;
  /** User memberships by offset with text conditions; `total` counts all matches. */
  searchUsers(projectId: string, search: MemberSearch): Awaitable<{ rows: MembershipView[]; total: number }>;
  /** Memberships of every project of the organization, in id order. */
  listInOrganization(orgId: string, filter: OrgMembershipFilter): Awaitable<MembershipView[]>;
  /** Every membership of the principal, in any project and state, in id order. */
  ofPrincipal(principalType: PrincipalType, principalId: string): Awaitable<MembershipView[]>;
  /** Every membership of the project, in any state, in id order. */
  ofProject(projectId: string): Awaitable<MembershipView[]>;
  /** Removes the membership and its roles. */
  delete(id: string): Awaitable<void>;
}

export interface AuditFilter {
  projectId: string;
  actorId: string;
  targetId: string;
  action: string;
  /** Matches actions that start with this, such as "membership.". */
  actionPrefix: string;
  startTime: number | null;
  endTime: number | null;
}

/** An audit event exactly as stored: before and after as their stored JSON text. */
export type ChainContent = Omit<AuditRecord, "before" | "after"> & { before: string | null; after: string | null };

export interface ChainLink extends ChainContent {
  hash: Uint8Array;
}

/** Where the trail is read from: events in sequence order, and the highest sequence ever handed out. */
export interface ChainSource {
  links(afterSequence: number, limit: number): Awaitable<ChainLink[]>;
  lastAssignedSequence(): Awaitable<number>;
}

/** The audit trail; as a ChainSource it also reads events as stored, to verify the hash chain. */
export interface AuditRepo extends ChainSource {
  append(event: Omit<AuditRecord, "sequence">): Awaitable<number>;
  /** Events of an organization with a sequence above `afterSequence`, in sequence order. */
  list(orgId: string, filter: AuditFilter, afterSequence: number, limit: number): Awaitable<AuditRecord[]>;
  latestSequence(): Awaitable<number>;
}

export interface Repos {
  orgs: OrgRepo;
  orgMembers: OrgMemberRepo;
  users: UserRepo;
  identities: IdentityRepo;
  tokens: TokenRepo;
  projects: ProjectRepo;
  roles: RoleRepo;
  memberships: MembershipRepo;
  audit: AuditRepo;
}

export interface Store {
  /** Repositories for reads outside a transaction: they see committed data. */
  readonly read: Repos;
  /**
   * Runs `fn` in a write transaction, possibly shared with other writes: its
   * changes are kept when it resolves and undone, alone, when it throws. The
   * promise settles only once the transaction has committed (or failed).
   */
  write<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  close(): void;
}

/**
 * Wakes change-stream readers when new audit events are committed. A wake-up
 * carries nothing: readers re-read the trail from their last sequence.
 */
export interface ChangeNotifier {
  notify(): void;
  /** Resolves on the next notify() or when the signal aborts. */
  wait(signal: AbortSignal): Promise<void>;
}
