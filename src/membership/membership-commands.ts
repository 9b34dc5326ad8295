// The write path of memberships, shared by users and identities. Each write
// reads like a checklist: validate → project in this organization →
// permission → principal exists here → roles valid and not an escalation →
// state allows it → write, with its audit event, in one transaction.
import { authorizeProject } from "../access/authorize.ts";
import { actorOf, audited, membershipSnapshot, type Change } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { alreadyExists, failedPrecondition, notFound } from "../kernel/errors.ts";
import type { Repos } from "../kernel/store.ts";
import { idField, requirePrincipal, type PrincipalRef } from "../principals/principal-ref.ts";
import type { MembershipRecord, MembershipStatus, MembershipView, ProjectRecord } from "../kernel/records.ts";
import { assertCanGrant, checkRoleRequests, resolveRoles, sameRoles, type RoleRequest } from "../access/role-assignment.ts";
import { requireId } from "../kernel/validate.ts";


/** The outcome of a membership write; `sequence` is that of the write, or of the last change for a no-op. */
export interface MembershipWrite {
  project: ProjectRecord;
  membership: MembershipView | null;
  sequence: number;
  now: number;
}

export function validateTarget(projectId: string, principal: PrincipalRef): void {
  requireId("project_id", projectId);
  requireId(idField(principal.type), principal.id);
}

async function requireMember(tx: Repos, projectId: string, p: PrincipalRef): Promise<MembershipView> {
  const m = await tx.memberships.find(projectId, p.type, p.id);
  if (!m || m.status === "deactivated") {
    throw notFound("membership.not_found", `${p.type} ${p.id} is not a member of project ${projectId}`);
  }
  return m;
}

export type RecordChange = (change: Change) => Promise<number>;

/** Reads the membership back and records the change: the common tail of every membership write. */
export async function recorded(
  tx: Repos,
  record: RecordChange,
  w: { project: ProjectRecord; id: string; before: MembershipView | null; action: string; now: number },
): Promise<MembershipWrite> {
  const membership = (await tx.memberships.get(w.id))!;
  const sequence = await record({
    action: w.action,
    targetType: "membership",
    targetId: w.id,
    organizationId: w.project.organizationId,
    projectId: w.project.id,
    before: w.before ? membershipSnapshot(w.before) : null,
    after: membershipSnapshot(membership),
  });
  return { project: w.project, membership, sequence, now: w.now };
}

/** Inserts a membership, or brings a DEACTIVATED one back, as ACTIVE or INVITED; its roles are written apart. */
export async function writeMembership(
  tx: Repos,
  w: { id: string; project: ProjectRecord; principal: PrincipalRef; status: "active" | "invited"; existing: MembershipView | null; now: number },
): Promise<void> {
  const invited = w.status === "invited";
  const row: MembershipRecord = {
    id: w.id,
    projectId: w.project.id,
    organizationId: w.project.organizationId,
    principalType: w.principal.type,
    principalId: w.principal.id,
    status: w.status,
    invitedAt: invited ? w.now : null,
    activatedAt: invited ? null : w.now,
    suspendedAt: null,
    deactivatedAt: null,
    createdAt: w.existing?.createdAt ?? w.now,
    updatedAt: w.now,
  };
  if (w.existing) await tx.memberships.update(row);
  else await tx.memberships.insert(row);
}

/** Creates a membership as ACTIVE or INVITED, or re-activates a DEACTIVATED one. */
export async function createMembership(
  deps: Deps,
  ctx: CallContext,
  input: { projectId: string; principal: PrincipalRef; roles: RoleRequest[]; status: "active" | "invited" },
): Promise<MembershipWrite> {
  validateTarget(input.projectId, input.principal);
  checkRoleRequests(input.roles);
  return audited(deps, actorOf(ctx), async (tx, record, now) => {
    const { project, held } = await authorizeProject(tx, ctx, input.projectId, "project.member.write", now);
    await requirePrincipal(tx, input.principal, project.organizationId);
    const existing = await tx.memberships.find(project.id, input.principal.type, input.principal.id);
    if (existing && existing.status !== "deactivated") {
      throw alreadyExists(
        "membership.already_exists",
        existing.status === "invited"
          ? `${input.principal.type} ${input.principal.id} is already invited to project ${project.id}`
          : `${input.principal.type} ${input.principal.id} is already an active member of project ${project.id}`,
      );
    }
    const id = existing?.id ?? deps.ids.next();
    const resolved = await resolveRoles(tx, { project, requests: input.roles, membershipId: id, ids: deps.ids, now });
    assertCanGrant(held, resolved.permissions);
    await writeMembership(tx, { id, project, principal: input.principal, status: input.status, existing, now });
    await tx.memberships.replaceRoles(id, resolved.rows);
    const action = existing ? "membership.reactivated" : input.status === "invited" ? "membership.invited" : "membership.added";
    return recorded(tx, record, { project, id, before: existing, action, now });
  });
}

/** Replaces every role of a membership; the same roles again is a no-op that succeeds. */
export async function replaceMembershipRoles(
  deps: Deps,
  ctx: CallContext,
  input: { projectId: string; principal: PrincipalRef; roles: RoleRequest[] },
): Promise<MembershipWrite> {
  validateTarget(input.projectId, input.principal);
  checkRoleRequests(input.roles);
  return audited(deps, actorOf(ctx), async (tx, record, now) => {
    const { project, held } = await authorizeProject(tx, ctx, input.projectId, "project.member.write", now);
    const existing = await requireMember(tx, project.id, input.principal);
    const resolved = await resolveRoles(tx, { project, requests: input.roles, membershipId: existing.id, ids: deps.ids, now });
    assertCanGrant(held, resolved.permissions);
    if (sameRoles(existing.roles, resolved.rows)) {
      return { project, membership: existing, sequence: existing.lastSequence, now };
    }
    await tx.memberships.replaceRoles(existing.id, resolved.rows);
    await tx.memberships.update({ ...existing, updatedAt: now });
    return recorded(tx, record, { project, id: existing.id, before: existing, action: "membership.roles_replaced", now });
  });
}

/**
 * Deactivates a membership: roles revoked, row kept. With `missingOk` a
 * principal that is not a member is a successful no-op (ZITADEL's contract).
 */
export async function deactivateMembership(
  deps: Deps,
  ctx: CallContext,
  input: { projectId: string; principal: PrincipalRef; missingOk: boolean },
): Promise<MembershipWrite> {
  validateTarget(input.projectId, input.principal);
  return audited(deps, actorOf(ctx), async (tx, record, now) => {
    const { project } = await authorizeProject(tx, ctx, input.projectId, "project.member.delete", now);
    const existing = await tx.memberships.find(project.id, input.principal.type, input.principal.id);
    if (!existing || existing.status === "deactivated") {
      if (!input.missingOk) await requireMember(tx, project.id, input.principal);
      return { project, membership: existing, sequence: await tx.audit.latestSequence(), now };
    }
    await tx.memberships.replaceRoles(existing.id, []);
    await tx.memberships.update({ ...existing, status: "deactivated", deactivatedAt: now, updatedAt: now });
    return recorded(tx, record, { project, id: existing.id, before: existing, action: "membership.deactivated", now });
  });
}

const TRANSITIONS = {
  suspend: { from: "active", to: "suspended", action: "membership.suspended" },
  resume: { from: "suspended", to: "active", action: "membership.resumed" },
} as const satisfies Record<string, { from: MembershipStatus; to: MembershipStatus; action: string }>;

/**
 * How a transition treats what it finds: `only` says which memberships it
 * may touch (others answer NOT_FOUND, deactivated ones too), and with
 * `alreadyOk` one that is already in the target state is a no-op that succeeds.
 */
export interface TransitionOptions {
  only?: (m: MembershipView) => boolean;
  alreadyOk?: boolean;
}

/** Suspends or resumes a membership by id. */
export async function transitionMembership(
  deps: Deps,
  ctx: CallContext,
  membershipId: string,
  kind: keyof typeof TRANSITIONS,
  opts: TransitionOptions = {},
): Promise<MembershipWrite> {
  requireId("membership_id", membershipId);
  const t = TRANSITIONS[kind];
  return audited(deps, actorOf(ctx), async (tx, record, now) => {
    const existing = await tx.memberships.get(membershipId);
    const excluded = existing && opts.only && (existing.status === "deactivated" || !opts.only(existing));
    if (!existing || existing.organizationId !== ctx.orgId || excluded) {
      throw notFound("membership.not_found", `membership ${membershipId} not found`);
    }
    const { project } = await authorizeProject(tx, ctx, existing.projectId, "project.member.write", now);
    if (opts.alreadyOk && existing.status === t.to) return { project, membership: existing, sequence: existing.lastSequence, now };
    if (existing.status !== t.from) {
      throw failedPrecondition("membership.wrong_status", `membership ${membershipId} is ${existing.status}, not ${t.from}`);
    }
    await tx.memberships.update({
      ...existing,
      status: t.to,
      suspendedAt: t.to === "suspended" ? now : existing.suspendedAt,
      updatedAt: now,
    });
    return recorded(tx, record, { project, id: membershipId, before: existing, action: t.action, now });
  });
}

/** The invited user, with their own token, accepts: INVITED becomes ACTIVE. */
export async function acceptInvitation(deps: Deps, ctx: CallContext, projectId: string): Promise<MembershipWrite> {
  requireId("project_id", projectId);
  if (ctx.principal.type !== "user") {
    throw failedPrecondition("invitation.not_user", "only users accept invitations");
  }
  return audited(deps, actorOf(ctx), async (tx, record, now) => {
    const project = await tx.projects.get(projectId);
    const existing = project ? await tx.memberships.find(project.id, "user", ctx.principal.id) : null;
    if (!project || !existing || existing.status !== "invited") {
      throw notFound("invitation.not_found", `no open invitation to project ${projectId} for the caller`);
    }
    await tx.memberships.update({ ...existing, status: "active", activatedAt: now, updatedAt: now });
    return recorded(tx, record, { project, id: existing.id, before: existing, action: "membership.activated", now });
  });
}
