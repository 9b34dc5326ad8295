// External identity providers, read from the JSON file named by
// --jwt-providers. Each entry says whose tokens are trusted (issuer, audience,
// keys), how a token names its user (claim) and which organization's users
// it may sign in. Read once at start; a mistake stops the start with a
// message naming the flag and the entry, like every other flag.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Signature algorithms with public keys. HMAC (HS*) and "none" are never accepted. */
export const ASYMMETRIC_ALGORITHMS = [
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
] as const;

export interface JwtProviderConfig {
  issuer: string;
  audience: string;
  /** Where the keys are: an https URL (http only to a loopback host), or a local JWKS file. */
  jwks: { url: string } | { file: string };
  /** `sub` is compared with the user's id; `email` with the user's email in the organization. */
  claim: "sub" | "email";
  organizationId: string;
  algorithms: string[];
  clockSkewSeconds: number;
  /** After a fetch, how long an unknown `kid` waits before it may trigger another one. */
  jwksCooldownMs: number;
  /** How long fetched keys are used before they are fetched again: how late a removed key stops working. */
  jwksCacheMaxAgeMs: number;
}

const FLAG = "--jwt-providers";
const KEYS = new Set([
  "issuer", "audience", "jwksUrl", "jwksFile", "claim", "organizationId", "algorithms", "clockSkewSeconds", "jwksCooldownMs", "jwksCacheMaxAgeMs",
]);
const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/** Reads and checks the providers file; throws an Error whose message names the flag and the problem. */
export function loadJwtProviders(path: string): JwtProviderConfig[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? "not valid JSON";
    throw new Error(`${FLAG}: cannot read ${path} (${why})`);
  }
  const list = (doc as { providers?: unknown } | null)?.providers;
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${FLAG}: ${path} must hold {"providers": [ ... ]} with at least one provider`);
  const out = list.map((entry, i) => parseProvider(entry, `${FLAG}: providers[${i}]`, dirname(resolve(path))));
  const seen = new Set<string>();
  for (const [i, p] of out.entries()) {
    const key = `${p.issuer}\n${p.audience}`;
    if (seen.has(key)) throw new Error(`${FLAG}: providers[${i}] repeats the issuer and audience of an earlier provider`);
    seen.add(key);
  }
  return out;
}

function parseProvider(entry: unknown, at: string, baseDir: string): JwtProviderConfig {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new Error(`${at} must be an object`);
  const e = entry as Record<string, unknown>;
  for (const k of Object.keys(e)) if (!KEYS.has(k)) throw new Error(`${at}: unknown field ${JSON.stringify(k)}`);
  const text = (k: string): string => {
    const v = e[k];
    if (typeof v !== "string" || v.trim() === "" || v.length > 2048) throw new Error(`${at}.${k} must be a non-empty string`);
    return v;
  };
  const num = (k: string, fallback: number, max: number): number => {
    const v = e[k] ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) throw new Error(`${at}.${k} must be a whole number from 0 to ${max}`);
    return v;
  };
  if ((e.jwksUrl === undefined) === (e.jwksFile === undefined)) throw new Error(`${at}: set exactly one of jwksUrl and jwksFile`);
  const jwks = e.jwksUrl !== undefined ? { url: checkUrl(text("jwksUrl"), `${at}.jwksUrl`) } : { file: resolve(baseDir, text("jwksFile")) };
  const claim = e.claim ?? "sub";
  if (claim !== "sub" && claim !== "email") throw new Error(`${at}.claim must be "sub" or "email"`);
  return {
    issuer: text("issuer"),
    audience: text("audience"),
    jwks,
    claim,
    organizationId: text("organizationId"),
    algorithms: parseAlgorithms(e.algorithms, `${at}.algorithms`),
    clockSkewSeconds: num("clockSkewSeconds", 30, 300),
    jwksCooldownMs: num("jwksCooldownMs", 30_000, 3_600_000),
    jwksCacheMaxAgeMs: num("jwksCacheMaxAgeMs", 600_000, 86_400_000),
  };
}

/** Keys fetched in cleartext could be swapped on the way; only a loopback host is exempt (a local proxy, tests). */
function checkUrl(raw: string, at: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${at} must be an absolute URL`);
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname))) return url.href;
  throw new Error(`${at} must use https (http only to a loopback host)`);
}

function parseAlgorithms(v: unknown, at: string): string[] {
  if (v === undefined) return [...ASYMMETRIC_ALGORITHMS];
  if (!Array.isArray(v) || v.length === 0) throw new Error(`${at} must be a non-empty list`);
  for (const a of v) {
    if (!(ASYMMETRIC_ALGORITHMS as readonly unknown[]).includes(a)) {
      throw new Error(`${at}: ${JSON.stringify(a)} is not allowed; use public-key algorithms only (${ASYMMETRIC_ALGORITHMS.join(", ")})`);
    }
  }
  return v as string[];
}
