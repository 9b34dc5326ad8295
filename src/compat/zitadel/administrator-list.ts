// ListAdministrators: the organization's members (ORG_* roles) and the
// project members holding PROJECT_* roles, as far as the caller may see
// them, filtered with and/or/not, sorted and paged. The organization of the
// call is listed, or the one a top-level resource filter names, entered as
// the x-zitadel-orgid header would be (a resource in a write is, too).
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListAdministratorsResponseSchema, ListAdministratorsRequest } from "../../../gen/zitadel/internal_permission/v2beta/internal_permission_service_pb.js";
import { AdministratorFieldName, type AdministratorSearchFilter } from "../../../gen/zitadel/internal_permission/v2beta/query_pb.js";
import type { ResourceAccess } from "../../access/resource-access.ts";
import type { CallContext } from "../../kernel/deps.ts";
import { invalidArgument } from "../../kernel/errors.ts";
import type { MembershipOrgSearch } from "../../membership/membership-org-search.ts";
import type { MembershipService } from "../../membership/membership-service.ts";
import type { OrgMemberRoles } from "../../organizations/org-member-roles.ts";
import { ts } from "../../rpc/common-mappers.ts";
import { byKeys, every, paginate, textFilter, timeFilter, unlessHidden, type Predicate } from "./v2-filters.ts";
import { v2User } from "./v2-mappers.ts";
import { isProjectMemberRole } from "./zitadel-roles.ts";

type Resource = { kind: "organization"; id: string; name: string } | { kind: "project"; id: string; name: string; organizationId: string };

interface AdminRow {
  user: ReturnType<typeof v2User>;
  resource: Resource;
  roles: string[];
  createdAt: number;
  updatedAt: number;
}

export interface AdministratorSources {
  resources: ResourceAccess;
  orgMemberRoles: OrgMemberRoles;
  membershipSearch: MembershipOrgSearch;
  memberships: MembershipService;
}

/** At most this many filters, nested at most this deep: a filter is work the server does per row. */
const MAX_FILTERS = 100;
const MAX_DEPTH = 10;

function compile(f: AdministratorSearchFilter | undefined, path: string, budget: { left: number }, depth: number): Predicate<AdminRow> {
  if (--budget.left < 0) throw invalidArgument("filters", `at most ${MAX_FILTERS} filters`);
  if (depth > MAX_DEPTH) throw invalidArgument(path, `filters nest at most ${MAX_DEPTH} deep`);
  const q = f?.filter;
  switch (q?.case) {
    case "creationDate": {
      const t = timeFilter(`${path}.creation_date`, q.value);
      return (r) => t(r.createdAt);
    }
    case "changeDate": {
      const t = timeFilter(`${path}.change_date`, q.value);
      return (r) => t(r.updatedAt);
    }
    case "inUserIdsFilter": {
      const ids = new Set(q.value.ids);
      return (r) => ids.has(r.user.id);
    }
    case "userOrganizationId":
      return (r) => r.user.organizationId === q.value.id;
    case "userPreferredLoginName": {
      const t = textFilter(`${path}.user_preferred_login_name`, q.value.preferredLoginName, q.value.method);
      return (r) => t(r.user.preferredLoginName);
    }
    case "userDisplayName": {
      const t = textFilter(`${path}.user_display_name`, q.value.displayName, q.value.method);
      return (r) => t(r.user.displayName);
    }
    case "resource": {
      const res = q.value.resource;
      if (res.case === "organizationId") return (r) => r.resource.kind === "organization" && r.resource.id === res.value;
      if (res.case === "projectId") return (r) => r.resource.kind === "project" && r.resource.id === res.value;
      if (res.case === undefined) throw invalidArgument(`${path}.resource`, "names no resource");
      // Instance administrators and project grants are not served here: no row is one.
      return () => false;
    }
    case "role":
      return (r) => r.roles.includes(q.value.roleKey);
    case "and":
      return every(q.value.queries.map((x, i) => compile(x, `${path}.and.queries[${i}]`, budget, depth + 1)));
    case "or": {
      const any = q.value.queries.map((x, i) => compile(x, `${path}.or.queries[${i}]`, budget, depth + 1));
      return (r) => any.some((p) => p(r));
    }
    case "not": {
      if (!q.value.query) throw invalidArgument(`${path}.not.query`, "is required");
      const p = compile(q.value.query, `${path}.not.query`, budget, depth + 1);
      return (r) => !p(r);
    }
    default:
      throw invalidArgument(path, "sets no filter");
  }
}

const SORTS: Record<number, (r: AdminRow) => string | number> = {
  [AdministratorFieldName.USER_ID]: (r) => r.user.id,
  [AdministratorFieldName.CHANGE_DATE]: (r) => r.updatedAt,
};

/** The rows a top-level resource filter (or the organization of the call) selects, before filtering. */
async function gather(s: AdministratorSources, call: CallContext, top: AdministratorSearchFilter["filter"][]): Promise<AdminRow[]> {
  const resource = top.find((f) => f.case === "resource")?.value.resource;
  if (resource?.case === "instance" || resource?.case === "projectGrantId") return [];
  const ctx = resource?.case === "organizationId" ? await unlessHidden(s.resources.inOrganization(call, resource.value)) : call;
  if (!ctx) return [];
  const rows: AdminRow[] = [];
  if (resource?.case !== "projectId") {
    const { organization, members } = await s.orgMemberRoles.visibleMembers(ctx);
    for (const m of members) {
      if (!m.user) continue;
      rows.push({ user: v2User(m.user), resource: { kind: "organization", id: ctx.orgId, name: organization?.name ?? "" }, roles: m.roles, createdAt: m.createdAt, updatedAt: m.updatedAt });
    }
  }
  if (resource?.case !== "organizationId") {
    const userIds = top.find((f) => f.case === "inUserIdsFilter")?.value.ids ?? null;
    const found = await s.membershipSearch.visibleInOrganization(ctx, {
      principalType: "user",
      projectIds: resource?.case === "projectId" ? [resource.value] : null,
      principalIds: userIds,
      roles: s.memberships.builtInRoles().roles.filter(isProjectMemberRole),
      statuses: [],
    });
    for (const m of found.rows) {
      if (!m.user) continue;
      const p = found.projects.get(m.projectId)!;
      const roles = m.roles.map((r) => r.role).filter(isProjectMemberRole);
      rows.push({ user: v2User(m.user), resource: { kind: "project", id: p.id, name: p.name, organizationId: p.organizationId }, roles, createdAt: m.createdAt, updatedAt: m.updatedAt });
    }
  }
  return rows;
}

export async function listAdministrators(
  s: AdministratorSources,
  call: CallContext,
  req: ListAdministratorsRequest,
): Promise<MessageInitShape<typeof ListAdministratorsResponseSchema>> {
  const budget = { left: MAX_FILTERS };
  const match = every(req.filters.map((f, i) => compile(f, `filters[${i}]`, budget, 0)));
  const rows = (await gather(s, call, req.filters.map((f) => f.filter))).filter(match);
  const primary = SORTS[req.sortingColumn ?? 0] ?? ((r: AdminRow) => r.createdAt);
  const { page, pagination } = paginate(rows, req.pagination, byKeys(primary, (r) => r.resource.id, (r) => r.user.id));
  return {
    pagination,
    administrators: page.map((r) => ({
      creationDate: ts(r.createdAt),
      changeDate: ts(r.updatedAt),
      user: r.user,
      resource:
        r.resource.kind === "organization"
          ? { case: "organization", value: { id: r.resource.id, name: r.resource.name } }
          : { case: "project", value: { id: r.resource.id, name: r.resource.name, organizationId: r.resource.organizationId } },
      roles: r.roles,
    })),
  };
}
