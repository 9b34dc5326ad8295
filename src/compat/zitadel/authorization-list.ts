// ListAuthorizations: the user memberships of the organization that are
// authorizations (zitadel-roles.ts), as far as the caller may see them, with
// every filter matching, sorted and paged. The organization of the call is
// listed, or the one a top-level organization filter names, entered as the
// x-zitadel-orgid header would be.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListAuthorizationsRequest, ListAuthorizationsResponseSchema } from "../../../gen/zitadel/authorization/v2beta/authorization_service_pb.js";
import { AuthorizationFieldName, State, type AuthorizationsSearchFilter } from "../../../gen/zitadel/authorization/v2beta/authorization_pb.js";
import type { ResourceAccess } from "../../access/resource-access.ts";
import type { CallContext } from "../../kernel/deps.ts";
import { invalidArgument } from "../../kernel/errors.ts";
import type { MembershipView, ProjectRecord } from "../../kernel/records.ts";
import type { MembershipOrgSearch } from "../../membership/membership-org-search.ts";
import { ts } from "../../rpc/common-mappers.ts";
import { byKeys, every, paginate, textFilter, unlessHidden, type Predicate } from "./v2-filters.ts";
import { v2User } from "./v2-mappers.ts";
import { AUTHORIZATION_ROLES, roleKeysOf } from "./zitadel-roles.ts";

interface AuthorizationRow {
  m: MembershipView & { user: NonNullable<MembershipView["user"]> };
  project: ProjectRecord;
  user: ReturnType<typeof v2User>;
  roles: string[];
  state: State;
}

export interface AuthorizationSources {
  resources: ResourceAccess;
  membershipSearch: MembershipOrgSearch;
}

/** Invited and suspended memberships grant nothing: INACTIVE. */
export const stateOf = (m: MembershipView) => (m.status === "active" ? State.ACTIVE : State.INACTIVE);

function compile(f: AuthorizationsSearchFilter, path: string): Predicate<AuthorizationRow> {
  const q = f.filter;
  switch (q.case) {
    case "authorizationIds": {
      const ids = new Set(q.value.ids);
      return (r) => ids.has(r.m.id);
    }
    case "organizationId":
      return (r) => r.m.organizationId === q.value.id;
    case "state":
      if (q.value.state !== State.ACTIVE && q.value.state !== State.INACTIVE) throw invalidArgument(`${path}.state.state`, "must be ACTIVE or INACTIVE");
      return (r) => r.state === q.value.state;
    case "userId":
      return (r) => r.m.principalId === q.value.id;
    case "userOrganizationId":
      return (r) => r.user.organizationId === q.value.id;
    case "userPreferredLoginName": {
      const t = textFilter(`${path}.user_preferred_login_name`, q.value.loginName, q.value.method);
      return (r) => t(r.user.preferredLoginName);
    }
    case "userDisplayName": {
      const t = textFilter(`${path}.user_display_name`, q.value.displayName, q.value.method);
      return (r) => t(r.user.displayName);
    }
    case "projectId":
      return (r) => r.project.id === q.value.id;
    case "projectName": {
      const t = textFilter(`${path}.project_name`, q.value.name, q.value.method);
      return (r) => t(r.project.name);
    }
    case "roleKey": {
      const t = textFilter(`${path}.role_key`, q.value.key, q.value.method);
      return (r) => r.roles.some(t);
    }
    case "projectGrantId":
      // Project grants are not served here: no authorization belongs to one.
      return () => false;
    default:
      throw invalidArgument(path, "sets no filter");
  }
}

const SORTS: Record<number, (r: AuthorizationRow) => string | number> = {
  [AuthorizationFieldName.CHANGED_DATE]: (r) => r.m.updatedAt,
  [AuthorizationFieldName.ID]: (r) => r.m.id,
  [AuthorizationFieldName.USER_ID]: (r) => r.m.principalId,
  [AuthorizationFieldName.PROJECT_ID]: (r) => r.project.id,
  [AuthorizationFieldName.ORGANIZATION_ID]: (r) => r.m.organizationId,
  [AuthorizationFieldName.USER_ORGANIZATION_ID]: (r) => r.user.organizationId,
};

async function gather(s: AuthorizationSources, call: CallContext, top: AuthorizationsSearchFilter["filter"][]): Promise<AuthorizationRow[]> {
  const orgId = top.find((f) => f.case === "organizationId")?.value.id;
  const projectId = top.find((f) => f.case === "projectId")?.value.id;
  const ctx = orgId !== undefined ? await unlessHidden(s.resources.inOrganization(call, orgId)) : call;
  if (!ctx) return [];
  const userId = top.find((f) => f.case === "userId")?.value.id;
  const found = await s.membershipSearch.visibleInOrganization(ctx, {
    principalType: "user",
    projectIds: projectId !== undefined ? [projectId] : null,
    principalIds: userId !== undefined ? [userId] : null,
    roles: null,
    statuses: [],
  });
  const rows: AuthorizationRow[] = [];
  for (const m of found.rows) {
    if (!m.user || !AUTHORIZATION_ROLES.heldBy(m)) continue;
    rows.push({ m: { ...m, user: m.user }, project: found.projects.get(m.projectId)!, user: v2User(m.user), roles: roleKeysOf(m), state: stateOf(m) });
  }
  return rows;
}

export async function listAuthorizations(
  s: AuthorizationSources,
  call: CallContext,
  req: ListAuthorizationsRequest,
): Promise<MessageInitShape<typeof ListAuthorizationsResponseSchema>> {
  if (req.filters.length > 100) throw invalidArgument("filters", "at most 100 filters");
  const match = every(req.filters.map((f, i) => compile(f, `filters[${i}]`)));
  const rows = (await gather(s, call, req.filters.map((f) => f.filter))).filter(match);
  const primary = SORTS[req.sortingColumn ?? 0] ?? ((r: AuthorizationRow) => r.m.createdAt);
  const { page, pagination } = paginate(rows, req.pagination, byKeys(primary, (r) => r.m.id));
  return {
    pagination,
    authorizations: page.map(({ m, project, user, roles, state }) => ({
      id: m.id,
      projectId: project.id,
      projectName: project.name,
      projectOrganizationId: project.organizationId,
      organizationId: m.organizationId,
      creationDate: ts(m.createdAt),
      changeDate: ts(m.updatedAt),
      state,
      user: { ...user, avatarUrl: "" },
      roles,
    })),
  };
}
