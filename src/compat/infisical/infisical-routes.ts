// Infisical's project membership paths, each a short handler over the
// native membership services: map the request, call the domain with the
// caller and organization the edge resolved, map the result. The routes
// declare their access as the native RPCs of the same meaning do, so the
// edge admits callers exactly as it admits those RPCs. Infisical's
// deprecated v2 paths (/api/v2/workspace/{projectId}/identity-memberships…)
// answer as the v1 ones.
import type { MembershipService } from "../../membership/membership-service.ts";
import type { IdentityMemberSearchService } from "../../membership/membership-identity-search.ts";
import { withRoleInput } from "../../membership/membership-mappers.ts";
import { renameField } from "../../kernel/errors.ts";
import { MAX_PAGE_SIZE } from "../../kernel/paging.ts";
import type { MembershipView } from "../../kernel/records.ts";
import type { HttpApi, HttpRoute } from "../../rpc/http-route.ts";
import type { CallContext } from "../../kernel/deps.ts";
import { infisicalError } from "./infisical-errors.ts";
import { identityMembershipItemJson, identityMembershipJson, membershipRoleJson, userMembershipJson } from "./infisical-mappers.ts";
import { createMembershipBody, identityListQuery, infisicalField, updateMembershipBody } from "./infisical-requests.ts";

const write = { scope: "project", permission: "project.member.write" } as const;
const read = { scope: "project", permission: "project.member.read" } as const;
const remove = { scope: "project", permission: "project.member.delete" } as const;

/** A domain call whose faults name fields as Infisical does. */
async function named<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw renameField(err, infisicalField);
  }
}

interface Services {
  memberships: MembershipService;
  identityMemberSearch: IdentityMemberSearchService;
}

/** Every user membership of the project: Infisical's list has no pages. */
async function allUserMemberships(s: Services, call: CallContext, projectId: string): Promise<MembershipView[]> {
  const filter = { role: "", principalType: "user" as const, statuses: [], emailPrefix: "" };
  const out: MembershipView[] = [];
  let pageToken = "";
  do {
    const page = await named(s.memberships.listMemberships(call, { projectId, filter, pageSize: MAX_PAGE_SIZE, pageToken }));
    out.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return out;
}

function identityMembershipRoutes(s: Services, base: string): HttpRoute[] {
  const one = `${base}/{projectId}/identity-memberships/{identityId}`;
  const ids = (p: ReadonlyMap<string, string>) => ({ projectId: p.get("projectId")!, identityId: p.get("identityId")! });
  const m = s.memberships;
  return [
    {
      method: "POST", path: one, access: write, projectParam: "projectId", body: true,
      async handle(req) {
        const input = createMembershipBody(req.body);
        const w = await withRoleInput(input, (roles) => m.createIdentityMembership(req.call, { ...ids(req.params), roles }));
        return { identityMembership: identityMembershipJson(w.membership!) };
      },
    },
    {
      method: "PATCH", path: one, access: write, projectParam: "projectId", body: true,
      async handle(req) {
        const input = updateMembershipBody(req.body);
        const w = await withRoleInput(input, (roles) => m.updateIdentityMembership(req.call, { ...ids(req.params), roles }));
        return { roles: w.membership!.roles.map(membershipRoleJson) };
      },
    },
    {
      method: "DELETE", path: one, access: remove, projectParam: "projectId",
      async handle(req) {
        const w = await named(m.deleteIdentityMembership(req.call, ids(req.params)));
        return { identityMembership: identityMembershipJson(w.membership!) };
      },
    },
    {
      method: "GET", path: `${base}/{projectId}/identity-memberships`, access: read, projectParam: "projectId",
      async handle(req) {
        const q = identityListQuery(req.query);
        const search = { projectId: req.params.get("projectId")!, offset: q.offset, limit: q.limit, asc: q.asc, nameContains: q.search };
        const found = await named(s.identityMemberSearch.searchIdentityMembers(req.call, search));
        return { identityMemberships: found.rows.map((r) => identityMembershipItemJson(r, found.project)), totalCount: found.total };
      },
    },
  ];
}

export function infisicalApi(s: Services): HttpApi {
  return {
    name: "infisical",
    routes: [
      ...identityMembershipRoutes(s, "/api/v1/projects"),
      ...identityMembershipRoutes(s, "/api/v2/workspace"),
      {
        method: "GET", path: "/api/v1/workspace/{workspaceId}/memberships", access: read, projectParam: "workspaceId",
        async handle(req) {
          const memberships = await allUserMemberships(s, req.call, req.params.get("workspaceId")!);
          return { memberships: memberships.map(userMembershipJson) };
        },
      },
    ],
    answerError: infisicalError,
  };
}
