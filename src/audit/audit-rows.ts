// Audit rows as chain links, the same for both stores.
import type { Row } from "../kernel/records.ts";
import type { ChainLink } from "../kernel/store.ts";

/** A stored row as it is hashed: before and after stay the text they are stored as. */
export const toLink = (r: Row): ChainLink => ({
  sequence: r.sequence,
  time: r.time,
  organizationId: r.organization_id,
  projectId: r.project_id,
  actorType: r.actor_type,
  actorId: r.actor_id,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  requestId: r.request_id,
  before: r.before,
  after: r.after,
  hash: r.hash,
});
