// A stand-in identity provider for tests: key pairs made here with jose, a
// JWKS served by a local node:http server (its key list can be changed while
// it runs, and it counts fetches), and tokens signed with those keys.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as published in a JWKS. */
  jwk: JWK;
}

export async function newSigningKey(kid: string, alg = "RS256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicKey, jwk };
}

/** Signs `claims`; `kid` and `alg` default to the key's own. */
export function signToken(key: SigningKey, claims: JWTPayload, header: { kid?: string } = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: header.kid ?? key.kid, typ: "JWT" }).sign(key.privateKey);
}

export interface JwksServer {
  /** The JWKS URL. */
  url: string;
  /** The keys served now; replace or edit to rotate. */
  keys: JWK[];
  /** How many times the JWKS was fetched. */
  fetches: number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  const state: JwksServer = {
    url: "",
    keys: keys.map((k) => k.jwk),
    fetches: 0,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
  const server: Server = createServer((req, res) => {
    state.fetches += 1;
    res.writeHead(200, { "content-type": "application/jwk-set+json" });
    res.end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  const close = state.close;
  state.close = () => {
    server.closeAllConnections();
    return close();
  };
  return state;
}

/** A token's three parts with a new header and no signature: what an attacker sends as alg "none". */
export function unsignedToken(claims: JWTPayload, kid: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", kid, typ: "JWT" })}.${part(claims)}.`;
}

/** The classic key-confusion forgery: HS256 with the bytes of the provider's public key (PEM) as the HMAC secret. */
export async function hmacWithPublicKey(key: SigningKey, claims: JWTPayload): Promise<string> {
  const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: key.kid, typ: "JWT" }).sign(secret);
}
