// Where a provider's keys come from and how they change: a new key id at the
// JWKS URL is fetched and accepted, a removed one is refused once the set is
// fetched again, refetches for unknown key ids wait out the cooldown, a JWKS
// file counts from its next edit, and keys that cannot be had answer
// UNAVAILABLE without spending the caller's failure budget.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectError } from "@connectrpc/connect";
import type { JWTPayload } from "jose";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { newSigningKey, signToken, startJwksServer, type JwksServer, type SigningKey } from "../helpers/jwt-issuer.ts";
import { NOW_S, startJwtServer, writeJwks, type JwtServer } from "../helpers/jwt-server.ts";
import { auth } from "../helpers/server.ts";

const ISSUER = "https://idp.test";
const claims = (sub: string): JWTPayload => ({ iss: ISSUER, aud: "membership", sub, iat: NOW_S, exp: NOW_S + 300 });

describe("identity provider keys", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  /** A server with one provider (sub → admin user) whose keys come from `jwks`. */
  async function serverWith(jwks: { jwksUrl: string } | { jwksFile: string }, extra: object = {}, budget = 0): Promise<JwtServer<null>> {
    const s = await startJwtServer(
      async () => null,
      (first) => [{ issuer: ISSUER, audience: "membership", claim: "sub", organizationId: first.orgId, ...jwks, ...extra }],
      { authFailBudget: budget },
    );
    cleanup.push(() => s.close());
    return s;
  }
  const asAdmin = (s: JwtServer<null>, key: SigningKey) =>
    signToken(key, claims(s.adminUserId)).then((t) => s.client(UserService).getUser({ userId: s.adminUserId }, auth(t)));
  const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => ConnectError.from(e));

  async function jwksWith(keys: SigningKey[]): Promise<JwksServer> {
    const j = await startJwksServer(keys);
    cleanup.push(() => j.close());
    return j;
  }

  it("fetches the set again for a new key id and accepts it; a removed key id is refused after that fetch", async () => {
    const [k1, k2] = await Promise.all([newSigningKey("k1"), newSigningKey("k2", "ES256")]);
    const jwks = await jwksWith([k1]);
    const s = await serverWith({ jwksUrl: jwks.url }, { jwksCooldownMs: 0 });
    expect((await asAdmin(s, k1)).user?.id).toBe(s.adminUserId);
    expect(jwks.fetches).toBe(1);
    // The provider rotates: k2 is published, k1 withdrawn.
    jwks.keys = [k2.jwk];
    expect((await asAdmin(s, k2)).user?.id).toBe(s.adminUserId);
    expect(jwks.fetches).toBe(2);
    const refused = await failure(asAdmin(s, k1));
    expect(refused?.code).toBe(16);
    expect(refused?.rawMessage).toMatch(/key id \(kid\)/);
  });

  it("does not refetch for unknown key ids within the cooldown", async () => {
    const [k1, k2] = await Promise.all([newSigningKey("k1"), newSigningKey("k2")]);
    const jwks = await jwksWith([k1]);
    const s = await serverWith({ jwksUrl: jwks.url }, { jwksCooldownMs: 60_000 });
    expect((await asAdmin(s, k1)).user?.id).toBe(s.adminUserId);
    jwks.keys = [k1.jwk, k2.jwk];
    for (let i = 0; i < 5; i++) expect((await failure(asAdmin(s, k2)))?.code).toBe(16);
    expect(jwks.fetches).toBe(1);
  });

  it("reads a JWKS file again once it changed: the new key counts and the removed one is refused at once", async () => {
    const [k1, k2] = await Promise.all([newSigningKey("file-key-1"), newSigningKey("k2")]);
    const dir = mkdtempSync(join(tmpdir(), "membership-jwks-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "jwks.json");
    writeJwks(file, [k1.jwk]);
    const s = await serverWith({ jwksFile: file });
    expect((await asAdmin(s, k1)).user?.id).toBe(s.adminUserId);
    expect((await failure(asAdmin(s, k2)))?.rawMessage).toMatch(/key id \(kid\)/);
    writeJwks(file, [k2.jwk]);
    expect((await asAdmin(s, k2)).user?.id).toBe(s.adminUserId);
    expect((await failure(asAdmin(s, k1)))?.rawMessage).toMatch(/key id \(kid\)/);
  });

  it("answers UNAVAILABLE when the keys cannot be fetched, without spending the failure budget", async () => {
    const k1 = await newSigningKey("k1");
    const gone = await startJwksServer([k1]);
    const url = gone.url;
    await gone.close();
    const s = await serverWith({ jwksUrl: url }, { jwksCooldownMs: 0 }, 2);
    for (let i = 0; i < 3; i++) {
      const err = await failure(asAdmin(s, k1));
      expect(err?.code).toBe(14 /* Unavailable */);
      expect(err?.rawMessage).toMatch(/signing keys could not be loaded/);
    }
    // Three UNAVAILABLE answers spent nothing of the budget of 2: the opaque token still works.
    expect((await s.client(UserService).getUser({ userId: s.adminUserId }, auth(s.adminToken))).user?.id).toBe(s.adminUserId);
    expect(s.logs.some((l) => l.includes("identity provider keys unavailable"))).toBe(true);
  });
});
