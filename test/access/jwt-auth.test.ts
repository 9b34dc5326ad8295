// Bearer JWTs of an external identity provider, over a real server: keys and
// JWKS made by the test, tokens mapped to users of the provider's
// organization, and every way a token can be wrong refused with
// UNAUTHENTICATED and a message that names the problem but not the token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { JWTPayload } from "jose";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { createGrpcJsTransport, type GrpcJsTransport } from "../helpers/grpc-js-transport.ts";
import { hmacWithPublicKey, newSigningKey, signToken, startJwksServer, unsignedToken, type JwksServer, type SigningKey } from "../helpers/jwt-issuer.ts";
import { NOW_S, startJwtServer, type JwtServer } from "../helpers/jwt-server.ts";
import { auth } from "../helpers/server.ts";

const ISSUER = "https://idp.test";
const MISSING_USER = "1234567890123456789";

describe("bearer JWTs of an external identity provider", () => {
  let rsa: SigningKey;
  let ec: SigningKey;
  let jwks: JwksServer;
  let s: JwtServer<{ plainId: string; otherOrgUserId: string }>;
  let grpcJs: GrpcJsTransport;

  beforeAll(async () => {
    [rsa, ec] = await Promise.all([newSigningKey("rsa-1", "RS256"), newSigningKey("ec-1", "ES256")]);
    jwks = await startJwksServer([rsa, ec]);
    s = await startJwtServer(
      async (first) => {
        const admin = auth(first.adminToken);
        const t = createConnectTransport({ baseUrl: first.url, httpVersion: "2" });
        const plain = await createClient(UserService, t).createUser({ email: "plain@example.com", firstName: "P", lastName: "U" }, admin);
        const org2 = (await createClient(OrganizationService, t).createOrganization({ name: "Elsewhere" }, admin)).organization!.id;
        const other = await createClient(UserService, t).createUser({ email: "other@example.com", firstName: "O", lastName: "U" }, auth(first.adminToken, org2));
        return { plainId: plain.user!.id, otherOrgUserId: other.user!.id };
      },
      (first) => [
        { issuer: ISSUER, audience: "membership", jwksUrl: jwks.url, claim: "sub", organizationId: first.orgId, jwksCooldownMs: 0 },
        // The same issuer for another audience, mapping by email, ES256 only.
        { issuer: ISSUER, audience: "membership-email", jwksUrl: jwks.url, claim: "email", organizationId: first.orgId, algorithms: ["ES256"] },
      ],
      // Refusals are what this file sends most; the failure budget has its own tests.
      { authFailBudget: 0 },
    );
    grpcJs = createGrpcJsTransport(s.url);
  });
  afterAll(async () => {
    grpcJs?.close();
    await s?.close();
    await jwks?.close();
  });

  const claims = (over: JWTPayload = {}): JWTPayload => ({ iss: ISSUER, aud: "membership", sub: s.seeded.plainId, iat: NOW_S, exp: NOW_S + 300, ...over });
  const getSelf = (token: string, transport?: GrpcJsTransport) =>
    s.client(UserService, transport).getUser({ userId: s.seeded.plainId }, auth(token));

  /** The refusal of `token`: UNAUTHENTICATED, naming the problem, with no part of the token in the message or the log. */
  async function refusal(token: string, transport?: GrpcJsTransport): Promise<string> {
    const err = await getSelf(token, transport).then(() => null, (e: unknown) => ConnectError.from(e));
    expect(err, "the call must fail").not.toBeNull();
    expect(err!.code).toBe(16 /* Unauthenticated */);
    for (const part of token.split(".").filter((p) => p.length > 8)) {
      expect(err!.rawMessage).not.toContain(part);
      expect(s.logs.join("\n")).not.toContain(part);
    }
    return err!.rawMessage;
  }

  describe("accepted", () => {
    it("signs in the user named by sub, over Connect (RS256) and grpc-js (ES256)", async () => {
      expect((await getSelf(await signToken(rsa, claims()))).user?.email).toBe("plain@example.com");
      expect((await getSelf(await signToken(ec, claims()), grpcJs)).user?.email).toBe("plain@example.com");
    });

    it("applies the permissions of the mapped user: a plain user is denied what the administrator may do", async () => {
      const create = (token: string) => s.client(ProjectService).createProject({ name: "Via JWT" }, auth(token));
      await expect(create(await signToken(rsa, claims()))).rejects.toMatchObject({ code: 7 /* PermissionDenied */ });
      const project = (await create(await signToken(rsa, claims({ sub: s.adminUserId })))).project!;
      expect(project.organizationId).toBe(s.orgId);
    });

    it("maps by email for the provider configured so, chosen by the token's audience", async () => {
      const token = await signToken(ec, claims({ aud: "membership-email", sub: "idp-internal-42", email: "PLAIN@example.com" }));
      expect((await getSelf(token)).user?.id).toBe(s.seeded.plainId);
    });

    it("allows expiry and not-before within the 30 s clock skew", async () => {
      expect((await getSelf(await signToken(rsa, claims({ exp: NOW_S - 25, nbf: NOW_S + 25 })))).user?.id).toBe(s.seeded.plainId);
    });

    it("keeps serving the server's own opaque tokens", async () => {
      expect((await getSelf(s.adminToken)).user?.id).toBe(s.seeded.plainId);
    });
  });

  describe("refused with UNAUTHENTICATED", () => {
    it("a wrong issuer", async () => {
      expect(await refusal(await signToken(rsa, claims({ iss: "https://evil.test" })))).toMatch(/issuer \(iss\)/);
    });

    it("a wrong audience, over Connect and grpc-js", async () => {
      const token = await signToken(rsa, claims({ aud: "someone-else" }));
      expect(await refusal(token)).toMatch(/audience \(aud\)/);
      expect(await refusal(token, grpcJs)).toMatch(/audience \(aud\)/);
    });

    it("an expired token, beyond the skew", async () => {
      expect(await refusal(await signToken(rsa, claims({ exp: NOW_S - 31 })))).toMatch(/expired/);
    });

    it("a token not valid yet, beyond the skew", async () => {
      expect(await refusal(await signToken(rsa, claims({ nbf: NOW_S + 31 })))).toMatch(/not valid yet/);
    });

    it("a token without exp", async () => {
      expect(await refusal(await signToken(rsa, claims({ exp: undefined })))).toMatch(/exp claim is missing/);
    });

    it('alg "none"', async () => {
      expect(await refusal(unsignedToken(claims(), rsa.kid))).toMatch(/algorithm \(alg\) is not allowed/);
    });

    it("HS256 signed with the provider's public key", async () => {
      expect(await refusal(await hmacWithPublicKey(rsa, claims()))).toMatch(/algorithm \(alg\) is not allowed/);
    });

    it("an algorithm outside the provider's own allow-list", async () => {
      const token = await signToken(rsa, claims({ aud: "membership-email", email: "plain@example.com" }));
      expect(await refusal(token)).toMatch(/algorithm \(alg\) is not allowed; accepted: ES256/);
    });

    it("an unknown subject, and a user of another organization", async () => {
      expect(await refusal(await signToken(rsa, claims({ sub: MISSING_USER })))).toMatch(/sub claim names no user/);
      expect(await refusal(await signToken(rsa, claims({ sub: s.seeded.otherOrgUserId })))).toMatch(/sub claim names no user/);
    });

    it("an email the provider says is not verified", async () => {
      const token = await signToken(ec, claims({ aud: "membership-email", email: "plain@example.com", email_verified: false }));
      expect(await refusal(token)).toMatch(/email claim is not verified/);
    });

    it("an unknown key id, over Connect and grpc-js", async () => {
      const token = await signToken(rsa, claims(), { kid: "rsa-9" });
      expect(await refusal(token)).toMatch(/key id \(kid\)/);
      expect(await refusal(token, grpcJs)).toMatch(/key id \(kid\)/);
    });

    it("a signature by another key under a published key id", async () => {
      const forger = await newSigningKey(rsa.kid, "RS256");
      expect(await refusal(await signToken(forger, claims()))).toMatch(/signature does not verify/);
    });

    it("a token shaped like a JWT that is not one", async () => {
      expect(await refusal("eyJub3QiOiJqc29u.eyJ9.c2ln")).toMatch(/malformed/);
    });
  });
});
