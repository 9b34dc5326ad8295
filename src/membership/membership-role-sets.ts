// Writes that manage one set of a membership's roles and keep the others:
// an API that knows only part of a project's roles (say administrator roles,
// apart from the roles of the application) changes its own part and never
// touches the rest. The membership stays one row with one lifecycle, so
// suspending it suspends every role it holds.
import { authorizeProject } from "../access/authorize.ts";
import type { Permission } from "../access/permissions.ts";
import { assertCanGrant, checkRoleRequests, resolveRoles, sameRoles, type RoleRequest } from "../access/role-assignment.ts";
import { actorOf, audited } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { alreadyExists, invalidArgument, notFound } from "../kernel/errors.ts";
import type { MembershipView } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";
import { requireId } from "../kernel/validate.ts";
import { requirePrincipal, type PrincipalRef } from "../principals/principal-ref.ts";
import { recorded, transitionMembership, validateTarget, writeMembership, type MembershipWrite } from "./membership-commands.ts";

/** The roles one kind of write manages, and whether a membership counts as having them. */
export interface RoleSet {
  includes(role: string): boolean;
  /** Whether a membership that is not deactivated has this set, so that it exists for these writes. */
  heldBy(m: MembershipView): boolean;
}

/** A membership named by its project and principal, or by its id. */
export type MembershipTarget = { projectId: string; principal: PrincipalRef } | { membershipId: string };

const live = (m: MembershipView | null) => (m && m.status !== "deactivated" ? m : null);

function validate(target: MembershipTarget): void {
  if ("membershipId" in target) requireId("membership_id", target.membershipId);
  else validateTarget(target.projectId, target.principal);
}

/** The project (with what the caller holds there) and the membership a write is about. */
async function locate(tx: Repos, ctx: CallContext, target: MembershipTarget, permission: Permission, now: number) {
  if ("membershipId" in target) {
    const existing = await tx.memberships.get(target.membershipId);
    if (!existing || existing.organizationId !== ctx.orgId) return { existing: null, found: null };
    return { existing, found: await authorizeProject(tx, ctx, existing.projectId, permission, now) };
  }
  const found = await authorizeProject(tx, ctx, target.projectId, permission, now);
  return { existing: await tx.memberships.find(found.project.id, target.principal.type, target.principal.id), found };
}

const missing = (target: MembershipTarget) =>
  notFound(
    "membership.not_found",
    "membershipId" in target
      ? `membership ${target.membershipId} not found`
      : `${target.principal.type} ${target.principal.id} holds no such roles in project ${target.projectId}`,
  );

/**
 * Sets the set's roles of a membership, keeping its other roles. With
 * `create`, a membership that already has the set is refused (ALREADY_EXISTS)
 * and a principal without a membership gets one, ACTIVE; without it, the
 * membership must have the set. Only the requested roles are checked against
 * what the caller may grant: the kept ones are not granted by this write.
 */
export async function putRoleSet(
  deps: Deps,
  ctx: CallContext,
  input: { target: MembershipTarget; set: RoleSet; roles: RoleRequest[]; create: boolean },
): Promise<MembershipWrite & { created: boolean }> {
  const { target, set } = input;
  validate(target);
  checkRoleRequests(input.roles);
  input.roles.forEach((r, i) => {
    if (!set.includes(r.role)) throw invalidArgument(`roles[${i}].role`, `${r.role.slice(0, 64)} is not one of the roles this call manages`);
  });
  return audited(deps, actorOf(ctx), async (tx, record, now) => {
    const { existing, found } = await locate(tx, ctx, target, "project.member.write", now);
    const current = live(existing);
    if (!found || (!input.create && !(current && set.heldBy(current)))) throw missing(target);
    const { project, held } = found;
    if (current && set.heldBy(current) && input.create) {
      throw alreadyExists("membership.already_exists", `${current.principalType} ${current.principalId} already holds such roles in project ${project.id}`);
    }
    const id = existing?.id ?? deps.ids.next();
    const requested = await resolveRoles(tx, { project, requests: input.roles, membershipId: id, ids: deps.ids, now });
    assertCanGrant(held, requested.permissions);
    if (!current) {
      const principal = "principal" in target ? target.principal : { type: existing!.principalType, id: existing!.principalId };
      await requirePrincipal(tx, principal, project.organizationId);
      await writeMembership(tx, { id, project, principal, status: "active", existing, now });
      await tx.memberships.replaceRoles(id, requested.rows);
      const action = existing ? "membership.reactivated" : "membership.added";
      return { ...(await recorded(tx, record, { project, id, before: existing, action, now })), created: true };
    }
    const rows = [...current.roles.filter((r) => !set.includes(r.role)), ...requested.rows];
    if (sameRoles(current.roles, rows)) return { project, membership: current, sequence: current.lastSequence, now, created: false };
    await tx.memberships.replaceRoles(id, rows);
    await tx.memberships.update({ ...current, updatedAt: now });
    return { ...(await recorded(tx, record, { project, id, before: current, action: "membership.roles_replaced", now })), created: false };
  });
}

/**
 * Revokes the set's roles of a membership, keeping its other roles; a
 * membership left with no role ends (DEACTIVATED). A membership that does
 * not have the set, or none at all, is a successful no-op (`removed` false).
 */
export async function removeRoleSet(
  deps: Deps,
  ctx: CallContext,
  input: { target: MembershipTarget; set: RoleSet },
): Promise<{ removed: boolean; now: number }> {
  validate(input.target);
  return audited(deps, actorOf(ctx), async (tx, record, now) => {
    const { existing, found } = await locate(tx, ctx, input.target, "project.member.delete", now);
    const current = live(existing);
    if (!found || !current || !input.set.heldBy(current)) return { removed: false, now };
    const rest = current.roles.filter((r) => !input.set.includes(r.role));
    await tx.memberships.replaceRoles(current.id, rest);
    const ends = rest.length === 0;
    await tx.memberships.update({ ...current, updatedAt: now, ...(ends ? { status: "deactivated" as const, deactivatedAt: now } : {}) });
    const action = ends ? "membership.deactivated" : "membership.roles_replaced";
    await recorded(tx, record, { project: found.project, id: current.id, before: current, action, now });
    return { removed: true, now };
  });
}

export function createRoleSetService(deps: Deps) {
  return {
    put: (ctx: CallContext, input: { target: MembershipTarget; set: RoleSet; roles: RoleRequest[]; create: boolean }) => putRoleSet(deps, ctx, input),
    remove: (ctx: CallContext, input: { target: MembershipTarget; set: RoleSet }) => removeRoleSet(deps, ctx, input),
    /** ACTIVE again, or SUSPENDED, by id; a membership already there is a no-op that succeeds. */
    setActive: (ctx: CallContext, input: { membershipId: string; set: RoleSet; active: boolean }) =>
      transitionMembership(deps, ctx, input.membershipId, input.active ? "resume" : "suspend", { only: input.set.heldBy, alreadyOk: true }),
  };
}

export type RoleSetService = ReturnType<typeof createRoleSetService>;
