import { IdentityService } from "../../gen/membership/v1/identity_pb.js";
import type { IdentityService as Identities } from "./identity-service.ts";
import { detailsToProto, ts, type Init } from "../rpc/common-mappers.ts";
import { unary, type Route } from "../rpc/route.ts";
import type { IdentitySchema } from "../../gen/membership/v1/identity_pb.js";
import type { IdentityRecord } from "../kernel/records.ts";

const identityToProto = (i: IdentityRecord): Init<typeof IdentitySchema> => ({
  id: i.id,
  organizationId: i.organizationId,
  name: i.name,
  createdAt: ts(i.createdAt),
});

const I = IdentityService.method;

/** Machine identities of an organization. */
export function identityRoutes(s: { identities: Identities }): Route[] {
  return [
    unary(I.createIdentity, { scope: "organization", permission: "org.identity.write" }, async (req, call) => ({
      identity: identityToProto(await s.identities.create(call, req)),
    })),
    unary(I.getIdentity, { scope: "organization", permission: "org.identity.read", self: true }, async (req, call) => ({
      identity: identityToProto(await s.identities.get(call, req.identityId)),
    })),
    unary(I.listIdentities, { scope: "organization", permission: "org.identity.read" }, async (req, call) => {
      const page = await s.identities.list(call, req);
      return { identities: page.items.map(identityToProto), nextPageToken: page.nextPageToken };
    }),
    unary(I.updateIdentity, { scope: "organization", permission: "org.identity.write" }, async (req, call) => ({
      identity: identityToProto(await s.identities.update(call, req)),
    })),
    unary(I.deleteIdentity, { scope: "organization", permission: "org.identity.write" }, async (req, call) => ({
      details: detailsToProto(await s.identities.delete(call, req.identityId)),
    })),
  ];
}
