import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Writes a new secret file and returns its path: `path` when it does not
 * exist yet, else `path.<n>`. An existing file is never overwritten: it may
 * hold the only token of another database.
 */
export function writeNewSecretFile(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? path : `${path}.${n}`;
    try {
      writeFileSync(candidate, content, { mode: 0o600, flag: "wx" });
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || n >= 100) throw err;
    }
  }
}
