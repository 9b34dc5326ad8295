import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import type { OrgMemberService } from "./org-member-service.ts";
import type { OrganizationService as Organizations } from "./organization-service.ts";
import type { OrganizationLifecycle } from "./organization-lifecycle.ts";
import { type Init, detailsToProto, principalFromOneof, principalTypeToProto, ts } from "../rpc/common-mappers.ts";
import { unary, type Route } from "../rpc/route.ts";
import type { OrganizationSchema } from "../../gen/membership/v1/organization_pb.js";
import type { OrgRecord } from "../kernel/records.ts";

const orgToProto = (o: OrgRecord): Init<typeof OrganizationSchema> => ({ id: o.id, name: o.name, slug: o.slug, createdAt: ts(o.createdAt) });

const O = OrganizationService.method;

/** Organizations and the members who hold organization roles. */
export function organizationRoutes(s: { organizations: Organizations; orgLifecycle: OrganizationLifecycle; orgMembers: OrgMemberService }): Route[] {
  return [
    unary(O.createOrganization, { scope: "instance" }, async (req, call) => ({
      organization: orgToProto(await s.organizations.create(call, { name: req.name, slug: req.slug })),
    })),
    unary(O.getOrganization, { scope: "authenticated" }, async (req, call) => ({
      organization: orgToProto(await s.organizations.get(call, req.organizationId)),
    })),
    unary(O.listOrganizations, { scope: "authenticated" }, async (req, call) => {
      const page = await s.organizations.list(call, req);
      return { organizations: page.items.map(orgToProto), nextPageToken: page.nextPageToken };
    }),
    unary(O.updateOrganization, { scope: "instance" }, async (req, call) => ({
      organization: orgToProto(await s.orgLifecycle.update(call, req)),
    })),
    unary(O.deleteOrganization, { scope: "instance" }, async (req, call) => ({
      details: detailsToProto(await s.orgLifecycle.delete(call, req)),
    })),
    unary(O.addOrganizationMember, { scope: "organization", permission: "org.member.write" }, async (req, call) => ({
      details: detailsToProto(await s.orgMembers.add(call, { principal: principalFromOneof(req.principal), roles: req.roles })),
    })),
    unary(O.removeOrganizationMember, { scope: "organization", permission: "org.member.write" }, async (req, call) => ({
      details: detailsToProto(await s.orgMembers.remove(call, { principal: principalFromOneof(req.principal) })),
    })),
    unary(O.listOrganizationMembers, { scope: "organization", permission: "org.member.read" }, async (req, call) => {
      const page = await s.orgMembers.list(call, req);
      return {
        members: page.items.map((m) => ({ principalType: principalTypeToProto(m.principalType), principalId: m.principalId, roles: m.roles })),
        nextPageToken: page.nextPageToken,
      };
    }),
  ];
}
