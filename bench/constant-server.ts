// The transport bound of our server: the same assembly as the real server
// (src/edge/serve-routes.ts: listener, edge, fast path, Connect), serving one
// route, CheckAccess, that answers a constant. No auth, no domain, no database.
//   node bench/constant-server.ts --port 0 [--fast-path off]   prints "listening on URL"
import { parseArgs } from "node:util";
import { MembershipService } from "../gen/membership/v1/membership_pb.js";
import { createAuthenticator } from "../src/access/authenticator.ts";
import { systemClock } from "../src/kernel/clock.ts";
import type { Repos } from "../src/kernel/store.ts";
import { serveRoutes } from "../src/edge/serve-routes.ts";
import { createLogger } from "../src/logger.ts";
import { createHealthState } from "../src/edge/health-service.ts";
import { publicUnary } from "../src/rpc/route.ts";

const { values: args } = parseArgs({ options: { port: { type: "string", default: "0" }, "fast-path": { type: "string", default: "on" } } });
const log = createLogger("error");
const shutdown = new AbortController();
const listener = await serveRoutes({
  host: "127.0.0.1",
  port: Number(args.port),
  routes: [publicUnary(MembershipService.method.checkAccess, async () => ({ allowed: true }))],
  // A public route never reads the repositories.
  callDeps: { repos: {} as Repos, clock: systemClock, log, auth: createAuthenticator({ repos: {} as Repos, clock: systemClock, log }) },
  health: createHealthState(),
  corsOrigins: [],
  readMaxBytes: 4 * 1024 * 1024,
  fastPath: args["fast-path"] !== "off",
  shutdown: shutdown.signal,
  log,
});
process.stdout.write(`constant server listening on ${listener.url}\n`);
process.once("SIGTERM", () => void listener.close(1000).then(() => process.exit(0)));
