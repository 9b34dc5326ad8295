import type { ConnectRouter } from "@connectrpc/connect";
import { IdentityService } from "../../../gen/membership/v1/identity_pb.js";
import { OrganizationService } from "../../../gen/membership/v1/organization_pb.js";
import { UserService } from "../../../gen/membership/v1/user_pb.js";
import type { IdentityService as Identities } from "../../domain/identity-service.ts";
import type { OrganizationService as Organizations } from "../../domain/organization-service.ts";
import type { UserService as Users } from "../../domain/user-service.ts";
import { callOf } from "../call-context.ts";
import { detailsToProto, identityToProto, orgToProto, principalFromOneof, principalTypeToProto, userToProto } from "../convert.ts";
import type { OrgMemberService } from "../../domain/org-member-service.ts";

/** Organizations and the principals they own. */
export function organizationRoutes(s: { organizations: Organizations; orgMembers: OrgMemberService; users: Users; identities: Identities }) {
  return (router: ConnectRouter) => {
    router.service(OrganizationService, {
      async createOrganization(req, ctx) {
        return { organization: orgToProto(await s.organizations.create(callOf(ctx), { name: req.name })) };
      },
      async getOrganization(req, ctx) {
        return { organization: orgToProto(await s.organizations.get(callOf(ctx), req.organizationId)) };
      },
      async listOrganizations(req, ctx) {
        const page = await s.organizations.list(callOf(ctx), req);
        return { organizations: page.items.map(orgToProto), nextPageToken: page.nextPageToken };
      },
      async addOrganizationMember(req, ctx) {
        return { details: detailsToProto(await s.orgMembers.add(callOf(ctx), { principal: principalFromOneof(req.principal), roles: req.roles })) };
      },
      async removeOrganizationMember(req, ctx) {
        return { details: detailsToProto(await s.orgMembers.remove(callOf(ctx), { principal: principalFromOneof(req.principal) })) };
      },
      async listOrganizationMembers(req, ctx) {
        const page = await s.orgMembers.list(callOf(ctx), req);
        return {
          members: page.items.map((m) => ({ principalType: principalTypeToProto(m.principalType), principalId: m.principalId, roles: m.roles })),
          nextPageToken: page.nextPageToken,
        };
      },
    });
    router.service(UserService, {
      async createUser(req, ctx) {
        return { user: userToProto(await s.users.create(callOf(ctx), req)) };
      },
      async getUser(req, ctx) {
        return { user: userToProto(await s.users.get(callOf(ctx), req.userId)) };
      },
      async listUsers(req, ctx) {
        const page = await s.users.list(callOf(ctx), req);
        return { users: page.items.map(userToProto), nextPageToken: page.nextPageToken };
      },
    });
    router.service(IdentityService, {
      async createIdentity(req, ctx) {
        return { identity: identityToProto(await s.identities.create(callOf(ctx), req)) };
      },
      async getIdentity(req, ctx) {
        return { identity: identityToProto(await s.identities.get(callOf(ctx), req.identityId)) };
      },
      async listIdentities(req, ctx) {
        const page = await s.identities.list(callOf(ctx), req);
        return { identities: page.items.map(identityToProto), nextPageToken: page.nextPageToken };
      },
    });
  };
}
