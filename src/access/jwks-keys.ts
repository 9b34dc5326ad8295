// Where a provider's public keys come from: a JWKS URL (jose's remote set:
// cached, refetched when a token names an unknown kid, at most once per
// cooldown) or a JWKS file (read again whenever it changed). A key removed
// at the URL stops verifying once the set is fetched again (an unknown kid or
// the cache age triggers that); a key removed from the file, at once.
import { statSync, readFileSync } from "node:fs";
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey } from "jose";
import type { JwtProviderConfig } from "./jwt-config.ts";

/**
 * The keys could not be had at all (the JWKS URL is down, the file is gone or
 * malformed): the server's trouble, not the token's, so the call answers
 * UNAVAILABLE and does not count as a failed authentication.
 */
export class KeySourceUnavailable extends Error {
  constructor(cause: unknown) {
    super("the identity provider's keys could not be loaded", { cause });
    this.name = "KeySourceUnavailable";
  }
}

/** Errors about the token's header against a good key set; everything else is the source failing. */
const aboutToken = (err: unknown) =>
  err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys || err instanceof errors.JOSENotSupported;

function guarded(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (err) {
      throw aboutToken(err) ? err : new KeySourceUnavailable(err);
    }
  };
}

export function createKeySource(p: JwtProviderConfig): JWTVerifyGetKey {
  if ("url" in p.jwks) {
    return guarded(createRemoteJWKSet(new URL(p.jwks.url), { cooldownDuration: p.jwksCooldownMs, cacheMaxAge: p.jwksCacheMaxAgeMs }));
  }
  return guarded(fileKeySource(p.jwks.file));
}

/** A stat per verification costs microseconds and makes an edited file count from the next call on. */
function fileKeySource(path: string): JWTVerifyGetKey {
  let version = "";
  let local: JWTVerifyGetKey | null = null;
  return async (header, token) => {
    const st = statSync(path);
    const seen = `${st.mtimeMs}:${st.size}:${st.ino}`;
    if (local === null || seen !== version) {
      local = createLocalJWKSet(JSON.parse(readFileSync(path, "utf8")));
      version = seen;
    }
    return local(header, token);
  };
}
