// The route's declared access, checked in the call pipeline before the
// handler sees the request. A caller the route can never admit learns
// nothing from the answer, not even which fields the request needs: it gets
// the refusal whatever it sent, including bytes that do not decode.
//
// Two steps, because a project permission needs the project:
// - admitCaller runs on the caller alone (token and organization scope),
//   before the message is read;
// - admitProject runs once the message is decoded, on the project it names,
//   before the handler validates anything else in it.
// The domain checks again inside its transaction: these checks decide what an
// unauthorized caller sees, the domain's decide what is written.
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { authorizeOrg, authorizeProject, holdsInOrg } from "../access/authorize.ts";
import type { CallContext } from "../kernel/deps.ts";
import { permissionDenied } from "../kernel/errors.ts";
import type { Repos } from "../kernel/store.ts";
import type { Access, Route } from "./route.ts";
import { authorizeAnywhereInOrg, isProjectIdShaped } from "../access/permission-anywhere.ts";

/**
 * Refuses a caller the route admits for no request at all:
 * - instance: anyone but an instance administrator;
 * - organization: a caller without the permission in the organization;
 * - project: a caller that holds the permission neither from an organization
 *   role nor on any project of the organization (nor, where the route has one,
 *   its `inOrganization` permission in the organization).
 * Routes a caller may call on itself (`self`) let it pass: only the request
 * says whether the call is about the caller, and the domain decides that
 * before it validates anything else.
 */
export async function admitCaller(repos: Repos, access: Access, call: CallContext, now: number): Promise<void> {
  switch (access.scope) {
    case "public":
    case "authenticated":
    case "self":
      return;
    case "instance":
      if (!call.principal.isInstanceAdmin) throw permissionDenied("permission.missing", "only instance administrators may call this");
      return;
    case "organization":
      if (!access.self) await authorizeOrg(repos, call, access.permission);
      return;
    case "project":
      if (access.self || (access.inOrganization && (await holdsInOrg(repos, call, access.inOrganization)))) return;
      await authorizeAnywhereInOrg(repos, call, access.permission, now);
      return;
  }
}

/** The project id a route's request names, when its message has the field. */
export function projectIdOf(route: Route, req: MessageShape<DescMessage>): string | undefined {
  if (!("projectId" in route.method.input.field)) return undefined;
  const v = (req as Record<string, unknown>)["projectId"];
  return typeof v === "string" ? v : undefined;
}

/**
 * A project-scoped route: the permission on the project the request names,
 * checked before anything else in the request. An id that names no project
 * (empty or too long) is the handler's to report: INVALID_ARGUMENT, or the
 * organization-wide read where an empty id means that, to a caller that
 * admitCaller found holding the permission somewhere in the organization.
 */
export async function admitProject(repos: Repos, route: Route, call: CallContext, req: MessageShape<DescMessage>, now: number): Promise<void> {
  await admitProjectId(repos, route.access, call, projectIdOf(route, req), now);
}

/** The same check for a project id a request names elsewhere (a path variable of an HTTP route). */
export async function admitProjectId(repos: Repos, a: Access, call: CallContext, projectId: string | undefined, now: number): Promise<void> {
  if (a.scope !== "project" || a.self) return;
  if (projectId !== undefined && isProjectIdShaped(projectId)) await authorizeProject(repos, call, projectId, a.permission, now);
}
