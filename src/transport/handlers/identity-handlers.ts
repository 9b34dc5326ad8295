import { IdentityService } from "../../../gen/membership/v1/identity_pb.js";
import type { IdentityService as Identities } from "../../domain/identity-service.ts";
import { identityToProto } from "../convert.ts";
import { unary, type Route } from "../route.ts";

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
  ];
}
