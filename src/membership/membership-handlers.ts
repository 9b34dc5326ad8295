import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import type { AccessService } from "../access/check-access.ts";
import type { AuditService } from "../audit/audit-service.ts";
import { detailsOf, type MembershipService as Memberships } from "./membership-service.ts";
import type { MembershipWrite } from "./membership-commands.ts";
import { serverStream, unary, type Route } from "../rpc/route.ts";
import { endStream } from "../rpc/stream-end.ts";
import { auditEventToProto } from "../audit/audit-mappers.ts";
import { detailsToProto, principalFromOneof, ts } from "../rpc/common-mappers.ts";
import {
  identityMembershipToProto,
  identityRoleInput,
  membershipRoleToProto,
  membershipToProto,
  roleRequestsFromProto,
  filterFromProto,
  userRoleInput,
  withRoleInput,
} from "./membership-mappers.ts";

const created = (w: MembershipWrite) => ({ details: detailsToProto(detailsOf(w, "created")) });
const changed = (w: MembershipWrite) => ({ details: detailsToProto(detailsOf(w, "changed")) });
const withMembership = (w: MembershipWrite, kind: "created" | "changed") => ({
  details: detailsToProto(detailsOf(w, kind)),
  membership: w.membership ? membershipToProto(w.membership) : undefined,
});

const M = MembershipService.method;
const write = { scope: "project", permission: "project.member.write" } as const;
const read = { scope: "project", permission: "project.member.read" } as const;
const remove = { scope: "project", permission: "project.member.delete" } as const;

export function membershipRoutes(s: { memberships: Memberships; access: AccessService; audit: AuditService }): Route[] {
  const m = s.memberships;
  return [
    unary(M.addProjectMember, write, async (req, call) => {
      const { projectId, userId } = req;
      const input = userRoleInput(req.roles, req.roleAssignments);
      return created(await withRoleInput(input, (roles) => m.addProjectMember(call, { projectId, userId, roles })));
    }),
    unary(M.inviteProjectMember, write, async (req, call) => {
      const { projectId, userId } = req;
      const input = userRoleInput(req.roles, req.roleAssignments);
      return withMembership(await withRoleInput(input, (roles) => m.inviteProjectMember(call, { projectId, userId, roles })), "created");
    }),
    unary(M.acceptProjectInvitation, { scope: "self" }, async (req, call) =>
      withMembership(await m.acceptProjectInvitation(call, req.projectId), "changed"),
    ),
    unary(M.updateProjectMember, write, async (req, call) => {
      const { projectId, userId } = req;
      const input = userRoleInput(req.roles, req.roleAssignments);
      return changed(await withRoleInput(input, (roles) => m.updateProjectMember(call, { projectId, userId, roles })));
    }),
    unary(M.removeProjectMember, remove, async (req, call) =>
      changed(await m.removeProjectMember(call, { projectId: req.projectId, userId: req.userId, missingOk: false })),
    ),
    unary(M.listMemberships, read, async (req, call) => {
      const { projectId, pageSize, pageToken } = req;
      const page = await m.listMemberships(call, { projectId, pageSize, pageToken, filter: filterFromProto(req.filter) });
      return { memberships: page.items.map(membershipToProto), nextPageToken: page.nextPageToken };
    }),
    unary(M.createIdentityMembership, write, async (req, call) => {
      const { projectId, identityId } = req;
      const input = identityRoleInput(req.role, req.roles);
      const w = await withRoleInput(input, (roles) => m.createIdentityMembership(call, { projectId, identityId, roles }));
      return { identityMembership: identityMembershipToProto(w.membership!) };
    }),
    unary(M.getIdentityMembership, read, async (req, call) => ({
      identityMembership: identityMembershipToProto(await m.getIdentityMembership(call, req)),
    })),
    unary(M.updateIdentityMembership, write, async (req, call) => {
      const { projectId, identityId } = req;
      const roles = roleRequestsFromProto("roles", req.roles);
      const w = await m.updateIdentityMembership(call, { projectId, identityId, roles });
      return { roles: w.membership!.roles.map(membershipRoleToProto) };
    }),
    unary(M.listIdentityMemberships, read, async (req, call) => {
      const { projectId, pageSize, pageToken } = req;
      const filter = filterFromProto(req.filter);
      const page = await m.listIdentityMemberships(call, { projectId, pageSize, pageToken, filter });
      return { identityMemberships: page.items.map(identityMembershipToProto), nextPageToken: page.nextPageToken };
    }),
    unary(M.deleteIdentityMembership, remove, async (req, call) => {
      const w = await m.deleteIdentityMembership(call, req);
      return { identityMembership: identityMembershipToProto(w.membership!) };
    }),
    unary(M.suspendMembership, write, async (req, call) => withMembership(await m.suspendMembership(call, req.membershipId), "changed")),
    unary(M.resumeMembership, write, async (req, call) => withMembership(await m.resumeMembership(call, req.membershipId), "changed")),
    unary(M.checkAccess, { ...read, self: true }, async (req, call) => {
      const p = principalFromOneof(req.subject);
      const subject = p.type ? { type: p.type, id: p.id } : null;
      const r = await s.access.check(call, { projectId: req.projectId, subject, permission: req.permission });
      return {
        allowed: r.allowed,
        roles: r.roles.map((e) => ({ role: e.role, expireTime: ts(e.expiresAt), permissions: e.permissions })),
      };
    }),
    serverStream(M.watchMemberships, read, async function* (req, call, env) {
      // env.signal also aborts on server shutdown (the router's shutdownSignal).
      const input = { projectId: req.projectId, afterSequence: Number(req.afterSequence) };
      for await (const event of s.audit.watchMemberships(call, input, env.signal)) {
        yield { event: auditEventToProto(event) };
      }
      endStream(env.signal);
    }),
  ];
}
