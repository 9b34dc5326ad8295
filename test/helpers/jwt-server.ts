// A real server that trusts test identity providers. A provider names the
// organization it signs users into, whose id exists only once the server has
// bootstrapped, so the server starts twice on one database file: first to
// seed organizations and users, then with the providers file that names them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startServer, type RunningServer } from "../../src/app.ts";
import { loadJwtProviders } from "../../src/access/jwt-config.ts";
import type { Config } from "../../src/config.ts";
import { createManualClock } from "../../src/kernel/clock.ts";
import { createLogger } from "../../src/logger.ts";
import { startTestServer, testConfig, type TestServer } from "./server.ts";

/** The servers' clock: fixed, so token times are exact. */
export const NOW = Date.UTC(2026, 0, 1);
export const NOW_S = NOW / 1000;

export interface JwtServer<T> {
  server: RunningServer;
  url: string;
  adminToken: string;
  orgId: string;
  adminUserId: string;
  seeded: T;
  clock: ReturnType<typeof createManualClock>;
  logs: string[];
  /** A Connect client (HTTP/2, binary) of the running server. */
  client<S extends DescService>(service: S, transport?: Transport): Client<S>;
  close(): Promise<void>;
}

export async function startJwtServer<T>(
  seed: (s: TestServer) => Promise<T>,
  providers: (s: TestServer, seeded: T) => object[],
  config: Partial<Config> = {},
): Promise<JwtServer<T>> {
  const first = await startTestServer({ file: true, clockAt: NOW });
  const dir = mkdtempSync(join(tmpdir(), "membership-jwt-"));
  let server: RunningServer | undefined;
  try {
    const seeded = await seed(first);
    const file = join(dir, "providers.json");
    writeFileSync(file, JSON.stringify({ providers: providers(first, seeded) }));
    await first.server.close();
    const logs: string[] = [];
    const clock = first.clock!;
    server = await startServer(
      testConfig({ db: first.dbPath, jwtProviders: loadJwtProviders(file), ...config }),
      { clock, logger: createLogger("debug", (l) => logs.push(l)) },
    );
    const url = server.url;
    const transport = createConnectTransport({ baseUrl: url, httpVersion: "2" });
    const running = server;
    return {
      server,
      url,
      adminToken: first.adminToken,
      orgId: first.orgId,
      adminUserId: first.adminUserId,
      seeded,
      clock,
      logs,
      client: (service, t) => createClient(service, t ?? transport),
      async close() {
        await running.close();
        await first.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server?.close();
    await first.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Writes a JWKS file for a file-based provider. */
export function writeJwks(path: string, keys: object[]): void {
  writeFileSync(path, JSON.stringify({ keys }));
}
