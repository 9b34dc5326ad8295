// The committed test certificate: self-signed for localhost and 127.0.0.1,
// valid from 2024 to 2124, so no test spawns openssl or waits for a key.
// Its private key is public by being in the repository: trust it nowhere
// but in these tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface TestCert {
  certPath: string;
  keyPath: string;
  cert: Buffer;
  key: Buffer;
}

const certPath = fileURLToPath(new URL("certs/localhost.crt", import.meta.url));
const keyPath = fileURLToPath(new URL("certs/localhost.key", import.meta.url));
let loaded: TestCert | undefined;

/** The certificate (PEM), to serve and to trust as the only CA. */
export function testCert(): TestCert {
  loaded ??= { certPath, keyPath, cert: readFileSync(certPath), key: readFileSync(keyPath) };
  return loaded;
}
