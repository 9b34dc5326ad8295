import { TokenService } from "../../../gen/membership/v1/token_pb.js";
import type { TokenService as Tokens } from "../../domain/token-service.ts";
import { msOf, principalFromOneof, tokenToProto } from "../convert.ts";
import { unary, type Route } from "../route.ts";

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
