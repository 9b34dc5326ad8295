// Tokens are 256 random bits and only their SHA-256 reaches the disk.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { useWorld } from "../helpers/fixtures.ts";

const w = useWorld({ file: true });

/** Every byte SQLite wrote: the database, its WAL and shared memory. */
function diskBytes(): Buffer {
  const dir = dirname(w.ts.dbPath);
  return Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
}

describe("token storage", () => {
  it("keeps only the SHA-256 of each secret", async () => {
    const u = await w.newUser();
    const secrets = [w.ts.adminToken, u.token];
    for (const s of secrets) {
      expect(s).toMatch(/^mbr_[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
      expect(Buffer.from(s.slice(4), "base64url")).toHaveLength(32);
    }
    await w.ts.server.close(); // checkpoint and close, so nothing sits only in memory
    const bytes = diskBytes();
    for (const s of secrets) {
      expect(bytes.includes(Buffer.from(s))).toBe(false);
      expect(bytes.includes(Buffer.from(s.slice(4)))).toBe(false);
      expect(bytes.includes(createHash("sha256").update(s).digest())).toBe(true);
    }
  });

  it("issues distinct secrets", async () => {
    const seen = new Set<string>([w.ts.adminToken]);
    for (let i = 0; i < 20; i++) seen.add((await w.newUser()).token);
    expect(seen.size).toBe(21);
  });
});
