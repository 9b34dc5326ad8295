import { TokenService } from "../../gen/membership/v1/token_pb.js";
import type { TokenService as Tokens } from "./token-service.ts";
import { msOf, principalFromOneof, principalTypeToProto, ts, type Init } from "../rpc/common-mappers.ts";
import { unary, type Route } from "../rpc/route.ts";
import type { TokenSchema } from "../../gen/membership/v1/token_pb.js";
import type { TokenRecord } from "../kernel/records.ts";

const tokenToProto = (t: TokenRecord): Init<typeof TokenSchema> => ({
  id: t.id,
  organizationId: t.organizationId,
  principalType: principalTypeToProto(t.principalType),
  principalId: t.principalId,
  description: t.description,
  createdAt: ts(t.createdAt),
  expireTime: ts(t.expiresAt),
  revokedAt: ts(t.revokedAt),
});

const T = TokenService.method;

export function tokenRoutes(s: { tokens: Tokens }): Route[] {
  return [
    unary(T.createToken, { scope: "organization", permission: "org.token.write", self: true }, async (req, call) => {
      const p = principalFromOneof(req.principal);
      const { token, secret } = await s.tokens.create(call, {
        principalType: p.type,
        principalId: p.id,
        // Checked by the domain once it knows the caller may issue this token.
        expiresAt: msOf(req.expireTime),
        description: req.description,
      });
      return { token: tokenToProto(token), secret };
    }),
    unary(T.revokeToken, { scope: "organization", permission: "org.token.write", self: true }, async (req, call) => ({
      token: tokenToProto(await s.tokens.revoke(call, req.tokenId)),
    })),
    unary(T.listTokens, { scope: "organization", permission: "org.token.read", self: true }, async (req, call) => {
      const page = await s.tokens.list(call, req);
      return { tokens: page.items.map(tokenToProto), nextPageToken: page.nextPageToken };
    }),
  ];
}
