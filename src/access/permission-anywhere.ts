// A project permission asked before the project is known: does the caller
// hold it anywhere in the organization of the call, from an organization role
// or from an active membership in one of its projects? A caller that holds it
// nowhere may not call the RPC for any project, so it is refused before its
// request is looked at; one that holds it somewhere may learn that a request
// is malformed, since it could send a well-formed one.
import { authorizeProject, holdsInOrg, membershipEffectiveRoles, permissionSet } from "./authorize.ts";
import type { CallContext } from "../kernel/deps.ts";
import { permissionDenied } from "../kernel/errors.ts";
import type { Permission } from "./permissions.ts";
import type { Repos } from "../kernel/store.ts";
import type { ProjectRecord } from "../kernel/records.ts";
import { MAX_ID_LENGTH, requireId } from "../kernel/validate.ts";

const PAGE = 100;

/** Whether an active membership in some project of the call's organization grants `permission` now. */
async function holdsOnSomeProject(repos: Repos, call: CallContext, permission: Permission, now: number): Promise<boolean> {
  const { type, id } = call.principal;
  for (let after: string | null = null; ; ) {
    const projects = await repos.projects.listForMember(call.orgId, type, id, { after, limit: PAGE });
    for (const project of projects) {
      const m = await repos.memberships.find(project.id, type, id);
      if (m && permissionSet(await membershipEffectiveRoles(repos, m, now)).has(permission)) return true;
    }
    if (projects.length < PAGE) return false;
    after = projects[projects.length - 1]!.id;
  }
}

/** Refuses a caller that holds `permission` neither from an organization role nor on any project of the organization. */
export async function authorizeAnywhereInOrg(repos: Repos, call: CallContext, permission: Permission, now: number): Promise<void> {
  if (await holdsInOrg(repos, call, permission)) return;
  if (await holdsOnSomeProject(repos, call, permission, now)) return;
  throw permissionDenied("permission.missing", `missing permission ${permission} in organization ${call.orgId} and its projects`);
}

/** Whether a project id can name a project at all; one that cannot is left for requireId to report. */
export const isProjectIdShaped = (id: string) => id !== "" && id.length <= MAX_ID_LENGTH;

/**
 * The project a request names, with `permission` on it checked before
 * anything else: an id that names no project is reported as malformed only
 * to a caller holding the permission somewhere in the organization.
 */
export async function authorizeNamedProject(
  repos: Repos,
  call: CallContext,
  projectId: string,
  permission: Permission,
  now: number,
): Promise<{ project: ProjectRecord; held: Set<string> }> {
  if (!isProjectIdShaped(projectId)) {
    await authorizeAnywhereInOrg(repos, call, permission, now);
    requireId("project_id", projectId);
  }
  return authorizeProject(repos, call, projectId, permission, now);
}
