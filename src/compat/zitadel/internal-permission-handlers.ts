// zitadel.internal_permission.v2beta.InternalPermissionService: administrators
// of an organization are its members (ORG_* roles), administrators of a project
// its members holding PROJECT_* roles; both on the native domain and store.
// A project is one of the organization of the call; an organization resource
// is entered as x-zitadel-orgid would be. The permission on the resource is
// checked before the rest of the request is validated. Instance
// administrators and project grants are not served (UNIMPLEMENTED).
import { Code, ConnectError } from "@connectrpc/connect";
import { InternalPermissionService } from "../../../gen/zitadel/internal_permission/v2beta/internal_permission_service_pb.js";
import type { ResourceType } from "../../../gen/zitadel/internal_permission/v2beta/internal_permission_service_pb.js";
import { ErrorDetailSchema } from "../../../gen/zitadel/message_pb.js";
import { permanent } from "../../access/role-assignment.ts";
import type { Permission } from "../../access/permissions.ts";
import type { CallContext } from "../../kernel/deps.ts";
import { invalidArgument } from "../../kernel/errors.ts";
import type { RoleSetService } from "../../membership/membership-role-sets.ts";
import type { OrgMemberService } from "../../organizations/org-member-service.ts";
import { ts } from "../../rpc/common-mappers.ts";
import { unary, type Route } from "../../rpc/route.ts";
import { listAdministrators, type AdministratorSources } from "./administrator-list.ts";
import { renamed } from "./v2-mappers.ts";
import { ZITADEL } from "./zitadel-errors.ts";
import { ADMINISTRATOR_ROLES } from "./zitadel-roles.ts";

type Target = { kind: "organization"; ctx: CallContext } | { kind: "project"; ctx: CallContext; projectId: string };

export interface InternalPermissionServices extends AdministratorSources {
  orgMembers: OrgMemberService;
  roleSets: RoleSetService;
}

/** Field names as the v2beta request has them. */
const FIELDS: [RegExp, string][] = [
  [/^roles\[(\d+)\]\.role$/, "roles[$1]"],
  [/^(project_id|organization_id)$/, "resource.$1"],
];

function unimplemented(what: string): ConnectError {
  const id = "ADMINISTRATOR-UNIMPLEMENTED";
  const message = `${what} administrators are not served by this server`;
  return new ConnectError(`${message} (${id})`, Code.Unimplemented, undefined, [{ desc: ErrorDetailSchema, value: { id, message } }]);
}

/** The resource of a write, with the caller's permission on it: `permission` on a project, org.member.write in an organization. */
async function targetOf(s: InternalPermissionServices, call: CallContext, r: ResourceType | undefined, permission: Permission): Promise<Target> {
  const res = r?.resource;
  switch (res?.case) {
    case "organizationId": {
      const ctx = await renamed(s.resources.inOrganization(call, res.value), FIELDS);
      await s.resources.admitOrganization(ctx, "org.member.write");
      return { kind: "organization", ctx };
    }
    case "projectId":
      await renamed(s.resources.admitProject(call, res.value, permission), FIELDS);
      return { kind: "project", ctx: call, projectId: res.value };
    case "instance":
      throw unimplemented("instance");
    case "projectGrant":
      throw unimplemented("project grant");
    default:
      throw invalidArgument("resource", "names no resource");
  }
}

function requireRoles(roles: string[]): string[] {
  if (roles.length === 0) throw invalidArgument("roles", "at least one role is required");
  return roles;
}

const P = InternalPermissionService.method;
const write = { scope: "project", permission: "project.member.write", inOrganization: "org.member.write" } as const;
const remove = { scope: "project", permission: "project.member.delete", inOrganization: "org.member.write" } as const;
const { permission: WRITE } = write;
const { permission: DELETE } = remove;

export function zitadelInternalPermissionRoutes(s: InternalPermissionServices): Route[] {
  const user = (id: string) => ({ type: "user" as const, id });
  const onProject = (t: { projectId: string }, userId: string) => ({ projectId: t.projectId, principal: user(userId) });
  return [
    unary(P.listAdministrators, { scope: "authenticated" }, (req, call) => listAdministrators(s, call, req), ZITADEL),
    unary(
      P.createAdministrator,
      write,
      async (req, call) => {
        const t = await targetOf(s, call, req.resource, WRITE);
        const roles = requireRoles(req.roles);
        if (t.kind === "organization") {
          const d = await s.orgMembers.add(t.ctx, { principal: user(req.userId), roles });
          return { creationDate: ts(d.creationDate) };
        }
        const w = await renamed(s.roleSets.put(t.ctx, { target: onProject(t, req.userId), set: ADMINISTRATOR_ROLES, roles: roles.map(permanent), create: true }), FIELDS);
        return { creationDate: ts(w.now) };
      },
      ZITADEL,
    ),
    unary(
      P.updateAdministrator,
      write,
      async (req, call) => {
        const t = await targetOf(s, call, req.resource, WRITE);
        const roles = requireRoles(req.roles);
        if (t.kind === "organization") {
          const r = await s.orgMemberRoles.replace(t.ctx, { principal: user(req.userId), roles });
          return { changeDate: ts(r.changedAt) };
        }
        const w = await renamed(s.roleSets.put(t.ctx, { target: onProject(t, req.userId), set: ADMINISTRATOR_ROLES, roles: roles.map(permanent), create: false }), FIELDS);
        return { changeDate: ts(w.membership?.updatedAt ?? w.now) };
      },
      ZITADEL,
    ),
    unary(
      P.deleteAdministrator,
      remove,
      async (req, call) => {
        const t = await targetOf(s, call, req.resource, DELETE);
        if (t.kind === "organization") {
          const d = await s.orgMembers.removeIfPresent(t.ctx, { principal: user(req.userId) });
          return { deletionDate: ts(d?.changeDate) };
        }
        const r = await renamed(s.roleSets.remove(t.ctx, { target: onProject(t, req.userId), set: ADMINISTRATOR_ROLES }), FIELDS);
        return { deletionDate: r.removed ? ts(r.now) : undefined };
      },
      ZITADEL,
    ),
  ];
}
