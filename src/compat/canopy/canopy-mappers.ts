// Canopy's AppMembership object, from a membership of this server: an
// application is a project, an identity a user or machine identity, and the
// membership's status and times carry over as they are (Canopy's statuses
// are the same four: invited, active, suspended, deactivated).
import type { JsonObject } from "@bufbuild/protobuf";
import type { MembershipView } from "../../kernel/records.ts";

/** "2026-04-20T12:00:00.000Z", as Canopy writes times; null when the membership has no such time. */
const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function appMembershipJson(m: MembershipView): JsonObject {
  return {
    id: m.id,
    identity_id: m.principalId,
    application_id: m.projectId,
    status: m.status,
    invited_at: time(m.invitedAt),
    activated_at: time(m.activatedAt),
    deactivated_at: time(m.deactivatedAt),
    created_at: time(m.createdAt),
  };
}
