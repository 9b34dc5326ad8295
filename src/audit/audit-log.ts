// Every mutation goes through `audited`: the change and its audit event
// commit in one transaction, and change-stream readers are woken after the
// commit, never before.
import type { CallContext, Deps } from "../kernel/deps.ts";
import type { Repos } from "../kernel/store.ts";
import type { MembershipView } from "../kernel/records.ts";

export interface Change {
  action: string;
  targetType: string;
  targetId: string;
  organizationId: string;
  projectId: string | null;
  before: unknown;
  after: unknown;
}

/** The change that creates a resource: `<type>.created`, nothing before, `after` its state. */
export function created(targetType: string, targetId: string, organizationId: string, after: unknown, projectId: string | null = null): Change {
  return { action: `${targetType}.created`, targetType, targetId, organizationId, projectId, before: null, after };
}

/** The change that alters a resource: `<type>.updated`, its state before and after. */
export function updated(targetType: string, targetId: string, organizationId: string, before: unknown, after: unknown, projectId: string | null = null): Change {
  return { action: `${targetType}.updated`, targetType, targetId, organizationId, projectId, before, after };
}

/** The change that removes a resource: `<type>.deleted`, `before` its last state, nothing after. */
export function deleted(targetType: string, targetId: string, organizationId: string, before: unknown, projectId: string | null = null): Change {
  return { action: `${targetType}.deleted`, targetType, targetId, organizationId, projectId, before, after: null };
}

/** What a write that removed a resource reports. */
export const removal = (sequence: number, now: number, resourceOwner: string): Details => ({ sequence, creationDate: null, changeDate: now, resourceOwner });

export interface Actor {
  type: string;
  id: string;
  requestId: string;
}

export const actorOf = (ctx: CallContext): Actor => ({ type: ctx.principal.type, id: ctx.principal.id, requestId: ctx.requestId });
export const SYSTEM_ACTOR: Actor = { type: "system", id: "system", requestId: "" };

/** Runs `fn` in a write transaction; `record` appends an audit event and returns its sequence. */
export async function audited<T>(
  deps: Deps,
  actor: Actor,
  fn: (tx: Repos, record: (change: Change) => Promise<number>, now: number) => Promise<T>,
): Promise<T> {
  let wrote = false;
  const result = await deps.store.write(async (tx) => {
    const now = deps.clock.now();
    const record = async (c: Change) => {
      wrote = true;
      return await tx.audit.append({
        time: now,
        organizationId: c.organizationId,
        projectId: c.projectId,
        actorType: actor.type,
        actorId: actor.id,
        action: c.action,
        targetType: c.targetType,
        targetId: c.targetId,
        requestId: actor.requestId,
        before: c.before ?? null,
        after: c.after ?? null,
      });
    };
    return await fn(tx, record, now);
  });
  if (wrote) deps.changes.notify();
  return result;
}

/** The write that produced or last changed a resource, as ObjectDetails reports it. */
export interface Details {
  sequence: number;
  creationDate: number | null;
  changeDate: number | null;
  resourceOwner: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The state of a membership as audit events and change streams carry it. */
export function membershipSnapshot(m: MembershipView): Record<string, unknown> {
  return {
    id: m.id,
    projectId: m.projectId,
    principalType: m.principalType,
    principalId: m.principalId,
    status: m.status,
    roles: m.roles.map((r) => ({
      role: r.role,
      customRoleId: r.customRoleId,
      isTemporary: r.isTemporary,
      temporaryRange: r.temporaryRange,
      startTime: iso(r.startAt),
      endTime: iso(r.endAt),
    })),
  };
}
