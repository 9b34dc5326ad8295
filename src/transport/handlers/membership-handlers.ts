import type { ConnectRouter } from "@connectrpc/connect";
import type { MembershipFilter as FilterMessage } from "../../../gen/membership/v1/membership_pb.js";
import { MembershipService } from "../../../gen/membership/v1/membership_pb.js";
import type { AccessService } from "../../domain/access-service.ts";
import type { AuditService } from "../../domain/audit-service.ts";
import { invalidArgument } from "../../domain/errors.ts";
import { detailsOf, type ListFilter, type MembershipService as Memberships } from "../../domain/membership-service.ts";
import type { MembershipWrite } from "../../domain/membership-writes.ts";
import { callOf } from "../call-context.ts";
import { endStream } from "../stream-end.ts";
import {
  auditEventToProto,
  detailsToProto,
  identityMembershipToProto,
  membershipRoleToProto,
  membershipToProto,
  principalFromOneof,
  principalTypeFromProto,
  roleRequestsFromProto,
  statusFromProto,
  ts,
} from "../convert.ts";

function filterFromProto(f: FilterMessage | undefined): ListFilter {
  const principalType = principalTypeFromProto(f?.principalType ?? 0);
  if (principalType === undefined) throw invalidArgument("filter.principal_type", "is not a known principal type");
  return {
    role: f?.role ?? "",
    principalType,
    emailPrefix: f?.emailPrefix ?? "",
    statuses: (f?.statuses ?? []).map((s, i) => {
      const status = statusFromProto(s);
      if (!status) throw invalidArgument(`filter.statuses[${i}]`, "is not a known membership status");
      return status;
    }),
  };
}

const created = (w: MembershipWrite) => ({ details: detailsToProto(detailsOf(w, "created")) });
const changed = (w: MembershipWrite) => ({ details: detailsToProto(detailsOf(w, "changed")) });
const withMembership = (w: MembershipWrite, kind: "created" | "changed") => ({
  details: detailsToProto(detailsOf(w, kind)),
  membership: w.membership ? membershipToProto(w.membership) : undefined,
});

export function membershipRoutes(s: { memberships: Memberships; access: AccessService; audit: AuditService }) {
  const m = s.memberships;
  return (router: ConnectRouter) =>
    router.service(MembershipService, {
      async addProjectMember(req, ctx) {
        const { projectId, userId, roles } = req;
        const assignments = roleRequestsFromProto("role_assignments", req.roleAssignments);
        return created(await m.addProjectMember(callOf(ctx), { projectId, userId, roles, assignments }));
      },
      async inviteProjectMember(req, ctx) {
        const { projectId, userId, roles } = req;
        const assignments = roleRequestsFromProto("role_assignments", req.roleAssignments);
        return withMembership(await m.inviteProjectMember(callOf(ctx), { projectId, userId, roles, assignments }), "created");
      },
      async acceptProjectInvitation(req, ctx) {
        return withMembership(await m.acceptProjectInvitation(callOf(ctx), req.projectId), "changed");
      },
      async updateProjectMember(req, ctx) {
        const { projectId, userId, roles } = req;
        const assignments = roleRequestsFromProto("role_assignments", req.roleAssignments);
        return changed(await m.updateProjectMember(callOf(ctx), { projectId, userId, roles, assignments }));
      },
      async removeProjectMember(req, ctx) {
        return changed(await m.removeProjectMember(callOf(ctx), { projectId: req.projectId, userId: req.userId, missingOk: false }));
      },
      async listMemberships(req, ctx) {
        const { projectId, pageSize, pageToken } = req;
        const page = await m.listMemberships(callOf(ctx), { projectId, pageSize, pageToken, filter: filterFromProto(req.filter) });
        return { memberships: page.items.map(membershipToProto), nextPageToken: page.nextPageToken };
      },
      async createIdentityMembership(req, ctx) {
        const { projectId, identityId, role } = req;
        const roles = roleRequestsFromProto("roles", req.roles);
        const w = await m.createIdentityMembership(callOf(ctx), { projectId, identityId, role, roles });
        return { identityMembership: identityMembershipToProto(w.membership!) };
      },
      async getIdentityMembership(req, ctx) {
        return { identityMembership: identityMembershipToProto(await m.getIdentityMembership(callOf(ctx), req)) };
      },
      async updateIdentityMembership(req, ctx) {
        const { projectId, identityId } = req;
        const roles = roleRequestsFromProto("roles", req.roles);
        const w = await m.updateIdentityMembership(callOf(ctx), { projectId, identityId, roles });
        return { roles: w.membership!.roles.map(membershipRoleToProto) };
      },
      async listIdentityMemberships(req, ctx) {
        const { projectId, pageSize, pageToken } = req;
        const filter = filterFromProto(req.filter);
        const page = await m.listIdentityMemberships(callOf(ctx), { projectId, pageSize, pageToken, filter });
        return { identityMemberships: page.items.map(identityMembershipToProto), nextPageToken: page.nextPageToken };
      },
      async deleteIdentityMembership(req, ctx) {
        const w = await m.deleteIdentityMembership(callOf(ctx), req);
        return { identityMembership: identityMembershipToProto(w.membership!) };
      },
      async suspendMembership(req, ctx) {
        return withMembership(await m.suspendMembership(callOf(ctx), req.membershipId), "changed");
      },
      async resumeMembership(req, ctx) {
        return withMembership(await m.resumeMembership(callOf(ctx), req.membershipId), "changed");
      },
      async checkAccess(req, ctx) {
        const p = principalFromOneof(req.subject);
        const subject = p.type ? { type: p.type, id: p.id } : null;
        const r = await s.access.check(callOf(ctx), { projectId: req.projectId, subject, permission: req.permission });
        return {
          allowed: r.allowed,
          roles: r.roles.map((e) => ({
            role: e.role,
            expireTime: ts(e.expiresAt),
            permissions: e.permissions,
          })),
        };
      },
      async *watchMemberships(req, ctx) {
        // ctx.signal also aborts on server shutdown (the router's shutdownSignal).
        const input = { projectId: req.projectId, afterSequence: Number(req.afterSequence) };
        for await (const event of s.audit.watchMemberships(callOf(ctx), input, ctx.signal)) {
          yield { event: auditEventToProto(event) };
        }
        endStream(ctx.signal);
      },
    });
}
