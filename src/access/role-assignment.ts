// Turns requested roles into stored role rows: checks each slug against the
// project's catalog, validates temporary windows and computes their end once.
import { invalidArgument, permissionDenied } from "../kernel/errors.ts";
import type { IdGenerator } from "../kernel/ids.ts";
import { builtInRole } from "./permissions.ts";
import type { Repos } from "../kernel/store.ts";
import type { MembershipRoleRecord, ProjectRecord } from "../kernel/records.ts";
import { requireRange } from "./temporary-range.ts";

export const MAX_ROLES = 50;

export interface RoleRequest {
  role: string;
  isTemporary: boolean;
  /** "relative", or null when the request left it unspecified. */
  temporaryMode: "relative" | null;
  temporaryRange: string;
  startAt: number | null;
}

export const permanent = (role: string): RoleRequest => ({
  role,
  isTemporary: false,
  temporaryMode: null,
  temporaryRange: "",
  startAt: null,
});

/**
 * Static checks that need no storage, run once before anything is read.
 * Errors name `roles[i]`; an API whose role list is shaped otherwise renames
 * them at its edge (DomainError.field).
 */
export function checkRoleRequests(requests: RoleRequest[]): void {
  if (requests.length > MAX_ROLES) throw invalidArgument("roles", `at most ${MAX_ROLES} roles`);
  const seen = new Set<string>();
  requests.forEach((r, i) => {
    const f = `roles[${i}]`;
    if (r.role === "") throw invalidArgument(`${f}.role`, "is required");
    if (r.role.length > 64) throw invalidArgument(`${f}.role`, "must be at most 64 characters");
    if (seen.has(r.role)) throw invalidArgument(`${f}.role`, `role ${r.role} is listed twice`);
    seen.add(r.role);
    if (!r.isTemporary) return;
    if (r.temporaryMode !== "relative") throw invalidArgument(`${f}.temporary_mode`, "must be RELATIVE for a temporary role");
    requireRange(`${f}.temporary_range`, r.temporaryRange);
    if (r.startAt === null) throw invalidArgument(`${f}.temporary_access_start_time`, "is required for a temporary role");
  });
}

export interface ResolvedRoles {
  rows: MembershipRoleRecord[];
  /** Every permission the roles can grant: what an escalation check compares. */
  permissions: Set<string>;
}

/** What resolveRoles needs: the requests (already through checkRoleRequests) and where their rows go. */
export interface RoleResolution {
  project: ProjectRecord;
  requests: RoleRequest[];
  membershipId: string;
  ids: IdGenerator;
  now: number;
}

export async function resolveRoles(repos: Repos, input: RoleResolution): Promise<ResolvedRoles> {
  const { project, requests, membershipId, ids, now } = input;
  const permissions = new Set<string>();
  const rows: MembershipRoleRecord[] = [];
  for (const [i, r] of requests.entries()) {
    const builtIn = builtInRole(r.role);
    const custom = builtIn ? null : await repos.roles.findBySlug(project.id, r.role);
    if (!builtIn && !custom) {
      throw invalidArgument(`roles[${i}].role`, `unknown role ${r.role} in project ${project.id}`, "role.unknown");
    }
    for (const p of builtIn ? builtIn.permissions : custom!.permissions) permissions.add(p);
    const rangeMs = r.isTemporary ? requireRange(`roles[${i}].temporary_range`, r.temporaryRange) : 0;
    rows.push({
      id: ids.next(),
      membershipId,
      role: r.role,
      customRoleId: custom?.id ?? null,
      isTemporary: r.isTemporary,
      temporaryMode: r.isTemporary ? "relative" : null,
      temporaryRange: r.isTemporary ? r.temporaryRange : null,
      startAt: r.isTemporary ? r.startAt : null,
      endAt: r.isTemporary ? r.startAt! + rangeMs : null,
      createdAt: now,
      updatedAt: now,
    });
  }
  return { rows, permissions };
}

/** No privilege escalation: a caller grants only permissions it holds itself. */
export function assertCanGrant(held: Set<string>, granted: Set<string>): void {
  const missing = [...granted].filter((p) => !held.has(p)).sort();
  if (missing.length > 0) {
    throw permissionDenied("permission.escalation", `cannot grant roles with permissions the caller lacks: ${missing.join(", ")}`);
  }
}

/** Whether two role sets are the same grant, ignoring row ids and order. */
export function sameRoles(a: MembershipRoleRecord[], b: MembershipRoleRecord[]): boolean {
  const key = (r: MembershipRoleRecord) => [r.role, r.isTemporary, r.temporaryRange, r.startAt, r.endAt].join("|");
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}
