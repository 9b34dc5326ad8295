import { mkdirSync, writeFileSync, chmodSync } from "node:fs";
import { dirname } from "node:path";

/** Writes a secret readable by its owner only (0600), also when the file existed with wider rights. */
export function writeSecretFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}
