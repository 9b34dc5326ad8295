// Bearer token secrets: how they are made and how they are stored.
import { createHash, randomBytes } from "node:crypto";

const TOKEN_PREFIX = "mbr_";

/** A bearer secret: 256 random bits, base64url, with a prefix that secret scanners can match. */
export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** Tokens are stored only as SHA-256 hashes of the secret. */
export function hashTokenSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}
