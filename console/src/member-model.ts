// How a membership reads in the console: who (user or machine identity),
// and its roles with what is left of temporary ones.
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { PrincipalType, MembershipStatus, TemporaryMode } from "../../gen/membership/v1/common_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Membership, MembershipRole, RoleAssignmentSchema } from "../../gen/membership/v1/membership_pb.js";

/** One role as a write asks for it. */
export type Assignment = MessageInitShape<typeof RoleAssignmentSchema>;

export const isIdentity = (m: Membership) => m.principalType === PrincipalType.IDENTITY;

export function displayName(m: Membership): string {
  if (isIdentity(m)) return m.identity?.name || m.identityId;
  const name = `${m.user?.firstName ?? ""} ${m.user?.lastName ?? ""}`.trim();
  return name || m.user?.email || m.userId;
}

/** The login name: a user's email, an identity's id. */
export const loginName = (m: Membership) => (isIdentity(m) ? m.identityId : (m.user?.email ?? m.userId));

export function statusText(s: MembershipStatus): string {
  const name = MembershipStatus[s] ?? "UNSPECIFIED";
  return name.charAt(0) + name.slice(1).toLowerCase();
}

/** "2d 3h", "45m", "30s": the largest two units of a duration. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const parts: [number, string][] = [[Math.floor(s / 86400), "d"], [Math.floor(s / 3600) % 24, "h"], [Math.floor(s / 60) % 60, "m"], [s % 60, "s"]];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return "0s";
  return parts.slice(first, first + 2).filter(([n]) => n > 0).map(([n, u]) => `${n}${u}`).join(" ");
}

/** What a chip says after the role's name: nothing for a permanent role. */
export function expiryText(r: MembershipRole, now = Date.now()): string {
  if (!r.isTemporary || !r.temporaryAccessEndTime) return "";
  const start = r.temporaryAccessStartTime ? timestampDate(r.temporaryAccessStartTime).getTime() : now;
  const end = timestampDate(r.temporaryAccessEndTime).getTime();
  if (start > now) return `starts in ${duration(start - now)}`;
  if (end <= now) return "expired";
  return `${duration(end - now)} left`;
}

export const roleName = (r: MembershipRole) => r.customRoleName || r.role;

/** The write that gives `roles`, permanent, or temporary from `start` for `range` ("3h"). */
export function assignments(roles: string[], temporary?: { start: Date; range: string }): Assignment[] {
  return roles.map((role) =>
    temporary
      ? { role, isTemporary: true, temporaryMode: TemporaryMode.RELATIVE, temporaryRange: temporary.range, temporaryAccessStartTime: timestampFromDate(temporary.start) }
      : { role },
  );
}

export type Principal = { kind: "user" | "identity"; id: string };

export function principalOf(m: Membership): Principal {
  return isIdentity(m) ? { kind: "identity", id: m.identityId } : { kind: "user", id: m.userId };
}
