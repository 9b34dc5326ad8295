import type { ConnectRouter } from "@connectrpc/connect";
import { TokenService } from "../../../gen/membership/v1/token_pb.js";
import type { TokenService as Tokens } from "../../domain/token-service.ts";
import { callOf } from "../call-context.ts";
import { principalFromOneof, timeField, tokenToProto } from "../convert.ts";

export function tokenRoutes(s: { tokens: Tokens }) {
  return (router: ConnectRouter) =>
    router.service(TokenService, {
      async createToken(req, ctx) {
        const p = principalFromOneof(req.principal);
        const { token, secret } = await s.tokens.create(callOf(ctx), {
          principalType: p.type,
          principalId: p.id,
          expiresAt: timeField("expire_time", req.expireTime),
          description: req.description,
        });
        return { token: tokenToProto(token), secret };
      },
      async revokeToken(req, ctx) {
        return { token: tokenToProto(await s.tokens.revoke(callOf(ctx), req.tokenId)) };
      },
      async listTokens(req, ctx) {
        const page = await s.tokens.list(callOf(ctx), req);
        return { tokens: page.items.map(tokenToProto), nextPageToken: page.nextPageToken };
      },
    });
}
