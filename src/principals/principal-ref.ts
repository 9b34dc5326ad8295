// How every feature names a user or a machine identity, checks the name a
// request gives, and looks the principal up: one way, written once.
import type { CallContext } from "../kernel/deps.ts";
import { invalidArgument, notFound } from "../kernel/errors.ts";
import type { IdentityRecord, PrincipalType, UserRecord } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";
import { requireId } from "../kernel/validate.ts";

export interface PrincipalRef {
  type: PrincipalType;
  id: string;
}

/** The request field that carries a principal's id. */
export const idField = (type: PrincipalType) => (type === "user" ? "user_id" : "identity_id");

/** A principal a request names: the type must be set (user_id or identity_id) and the id well formed. */
export function requirePrincipalRef(p: { type: PrincipalType | null; id: string }): PrincipalRef {
  if (p.type === null) throw invalidArgument("principal", "set user_id or identity_id");
  requireId(idField(p.type), p.id);
  return { type: p.type, id: p.id };
}

/** Whether the call is about its own caller. */
export const isSelf = (ctx: CallContext, p: { type: PrincipalType | null; id: string }) =>
  ctx.principal.type === p.type && ctx.principal.id === p.id;

/** The user or identity a reference names, wherever it is, or null. */
export async function findPrincipal(repos: Repos, p: PrincipalRef): Promise<UserRecord | IdentityRecord | null> {
  return p.type === "user" ? repos.users.get(p.id) : repos.identities.get(p.id);
}

/** The answer for a principal that does not exist, or may not be seen: the same either way. */
export const principalNotFound = (p: PrincipalRef) => notFound(`${p.type}.not_found`, `${p.type} ${p.id} not found`);

/**
 * The principal, which must belong to `organizationId`. One of another
 * organization answers exactly as one that exists nowhere: telling them
 * apart would let a caller probe other organizations for ids.
 */
export async function requirePrincipal(repos: Repos, p: PrincipalRef, organizationId: string): Promise<UserRecord | IdentityRecord> {
  const found = await findPrincipal(repos, p);
  if (!found || found.organizationId !== organizationId) throw principalNotFound(p);
  return found;
}
