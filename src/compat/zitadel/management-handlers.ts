// zitadel.management.v1.ManagementService, project members: the same domain
// and store as membership.v1, with ZITADEL's request and response shapes.
import { ManagementService } from "../../../gen/zitadel/management_pb.js";
import type { SearchQuery } from "../../../gen/zitadel/member_pb.js";
import { TextQueryMethod } from "../../../gen/zitadel/object_pb.js";
import { Type as UserType } from "../../../gen/zitadel/user_pb.js";
import { permanent } from "../../access/role-assignment.ts";
import { invalidArgument } from "../../kernel/errors.ts";
import { detailsOf, type MembershipService } from "../../membership/membership-service.ts";
import type { MemberTextQuery, TextMatch } from "../../kernel/store.ts";
import type { MembershipView } from "../../kernel/records.ts";
import { unary, type Route } from "../../rpc/route.ts";
import { ZITADEL } from "./zitadel-errors.ts";
import { detailsToProto, ts } from "../../rpc/common-mappers.ts";

const METHODS: Record<number, { match: TextMatch; ignoreCase: boolean }> = {
  [TextQueryMethod.EQUALS]: { match: "equals", ignoreCase: false },
  [TextQueryMethod.EQUALS_IGNORE_CASE]: { match: "equals", ignoreCase: true },
  [TextQueryMethod.STARTS_WITH]: { match: "starts_with", ignoreCase: false },
  [TextQueryMethod.STARTS_WITH_IGNORE_CASE]: { match: "starts_with", ignoreCase: true },
  [TextQueryMethod.CONTAINS]: { match: "contains", ignoreCase: false },
  [TextQueryMethod.CONTAINS_IGNORE_CASE]: { match: "contains", ignoreCase: true },
  [TextQueryMethod.ENDS_WITH]: { match: "ends_with", ignoreCase: false },
  [TextQueryMethod.ENDS_WITH_IGNORE_CASE]: { match: "ends_with", ignoreCase: true },
};

function textQuery(n: number, field: MemberTextQuery["field"], value: string, method: TextQueryMethod): MemberTextQuery {
  const m = METHODS[method];
  if (!m) throw invalidArgument(`queries[${n}].method`, "is not a known text query method");
  return { field, value, ...m };
}

function queriesFromProto(queries: SearchQuery[]): MemberTextQuery[] {
  return queries.map((sq, n) => {
    const q = sq.query;
    switch (q.case) {
      case "firstNameQuery":
        return textQuery(n, "first_name", q.value.firstName, q.value.method);
      case "lastNameQuery":
        return textQuery(n, "last_name", q.value.lastName, q.value.method);
      case "emailQuery":
        return textQuery(n, "email", q.value.email, q.value.method);
      case "userIdQuery":
        return { field: "user_id", value: q.value.userId, match: "equals", ignoreCase: false };
      default:
        throw invalidArgument(`queries[${n}]`, "sets no query");
    }
  });
}

function memberToProto(m: MembershipView) {
  const u = m.user;
  return {
    userId: m.principalId,
    details: { sequence: BigInt(m.lastSequence), creationDate: ts(m.createdAt), changeDate: ts(m.updatedAt), resourceOwner: m.organizationId },
    roles: m.roles.map((r) => r.role),
    preferredLoginName: u?.email ?? "",
    email: u?.email ?? "",
    firstName: u?.firstName ?? "",
    lastName: u?.lastName ?? "",
    displayName: u ? `${u.firstName} ${u.lastName}` : "",
    avatarUrl: "",
    userType: UserType.HUMAN,
    userResourceOwner: u?.organizationId ?? "",
  };
}

const Z = ManagementService.method;

/** ZITADEL's project member roles are the built-in roles named PROJECT_*. */
const isProjectMemberRole = (slug: string) => slug.startsWith("PROJECT_");

/** ZITADEL's REST gateway serves management v1 under this prefix (its OpenAPI base_path). */
const REST_BASE = "/management/v1";

export function zitadelManagementRoutes(s: { memberships: MembershipService }): Route[] {
  const m = s.memberships;
  const routes: Route[] = [
    unary(
      Z.listProjectMemberRoles,
      { scope: "authenticated" },
      async () => {
        const { roles, viewedAt } = m.builtInRoles();
        const memberRoles = roles.filter(isProjectMemberRole);
        return { details: { totalResult: BigInt(memberRoles.length), viewTimestamp: ts(viewedAt) }, result: memberRoles };
      },
      ZITADEL,
    ),
    unary(
      Z.listProjectMembers,
      { scope: "project", permission: "project.member.read" },
      async (req, call) => {
        const r = await m.searchUserMembers(call, {
          projectId: req.projectId,
          offset: Number(req.query?.offset ?? 0n),
          limit: req.query?.limit ?? 0,
          asc: req.query?.asc ?? false,
          queries: queriesFromProto(req.queries),
        });
        return {
          details: { totalResult: BigInt(r.total), processedSequence: BigInt(r.processedSequence), viewTimestamp: ts(r.viewedAt) },
          result: r.rows.map(memberToProto),
        };
      },
      ZITADEL,
    ),
    unary(
      Z.addProjectMember,
      { scope: "project", permission: "project.member.write" },
      async (req, call) => {
        const w = await m.addProjectMember(call, { projectId: req.projectId, userId: req.userId, roles: req.roles.map(permanent) });
        return { details: detailsToProto(detailsOf(w, "created")) };
      },
      ZITADEL,
    ),
    unary(
      Z.updateProjectMember,
      { scope: "project", permission: "project.member.write" },
      async (req, call) => {
        const w = await m.updateProjectMember(call, { projectId: req.projectId, userId: req.userId, roles: req.roles.map(permanent) });
        return { details: detailsToProto(detailsOf(w, "changed")) };
      },
      ZITADEL,
    ),
    unary(
      Z.removeProjectMember,
      { scope: "project", permission: "project.member.delete" },
      async (req, call) => {
        const w = await m.removeProjectMember(call, { projectId: req.projectId, userId: req.userId, missingOk: true });
        return { details: detailsToProto(detailsOf(w, "changed")) };
      },
      ZITADEL,
    ),
  ];
  return routes.map((r) => ({ ...r, restBase: REST_BASE }));
}
