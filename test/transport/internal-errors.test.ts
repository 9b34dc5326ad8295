// An unexpected error in a handler: the client gets INTERNAL with a fixed
// message, whichever path serves it, and the log gets where it came from
// (the stack), so the fault can be found.
import { createAuthenticator } from "../../src/access/authenticator.ts";
import { Code, createClient } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { systemClock } from "../../src/kernel/clock.ts";
import type { Repos } from "../../src/kernel/store.ts";
import { serveRoutes } from "../../src/edge/serve-routes.ts";
import { createLogger } from "../../src/logger.ts";
import { createHealthState } from "../../src/edge/health-service.ts";
import type { Listener } from "../../src/edge/listener.ts";
import { publicUnary } from "../../src/rpc/route.ts";
import { errorOf } from "../helpers/call-outcomes.ts";
import { protocols } from "../helpers/protocol-matrix.ts";

let listener: Listener | undefined;
afterEach(() => listener?.close(100));

function brokenDomainCall(): never {
  throw new TypeError("cannot read properties of undefined (reading 'secret-looking-detail')");
}

async function serve(fastPath: boolean, lines: string[]) {
  const log = createLogger("debug", (l) => lines.push(l));
  listener = await serveRoutes({
    host: "127.0.0.1",
    port: 0,
    routes: [publicUnary(MembershipService.method.checkAccess, async () => brokenDomainCall())],
    callDeps: { repos: {} as Repos, clock: systemClock, log, auth: createAuthenticator({ repos: {} as Repos, clock: systemClock, log }) },
    health: createHealthState(),
    corsOrigins: [],
    readMaxBytes: 1 << 20,
    fastPath,
    shutdown: new AbortController().signal,
    log,
  });
  return listener.url;
}

describe("an unexpected error in a handler", () => {
  for (const fastPath of [true, false]) {
    for (const protocol of protocols("grpc h2c", "connect proto http/1.1")) {
      it(`answers INTERNAL "internal error" and logs the stack (${protocol.name}, fast path ${fastPath ? "on" : "off"})`, async () => {
        const lines: string[] = [];
        const client = createClient(MembershipService, protocol.transport(await serve(fastPath, lines)));
        const err = await errorOf(client.checkAccess({}));
        expect([err.code, err.rawMessage]).toEqual([Code.Internal, "internal error"]);
        const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.level === "error");
        expect(logged).toHaveLength(1);
        expect(logged[0].error).toBe("TypeError");
        expect(logged[0].stack).toMatch(/brokenDomainCall .*internal-errors\.test\.ts/);
      });
    }
  }
});
