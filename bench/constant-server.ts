// The transport bound of our server: the real listener and edge, with a
// Connect router whose only method, CheckAccess, answers a constant. No auth,
// no domain, no database. Kept tiny so it can follow the route table and the
// fast path when they change.
//   node bench/constant-server.ts --port 0      prints "listening on URL"
import { createConnectRouter, createContextValues } from "@connectrpc/connect";
import { parseArgs } from "node:util";
import { MembershipService } from "../gen/membership/v1/membership_pb.js";
import { createEdgeHandler } from "../src/transport/edge-handler.ts";
import { createHealthState } from "../src/transport/health-service.ts";
import { startListener } from "../src/transport/listener.ts";

const { values: args } = parseArgs({ options: { port: { type: "string", default: "0" } } });
const router = createConnectRouter();
router.service(MembershipService, { checkAccess: () => ({ allowed: true }) });
const handler = createEdgeHandler({
  handlers: router.handlers,
  cors: { allowedOrigins: [] },
  health: createHealthState(),
  contextValues: () => createContextValues(),
});
const listener = await startListener({ host: "127.0.0.1", port: Number(args.port), handler });
process.stdout.write(`constant server listening on ${listener.url}\n`);
process.once("SIGTERM", () => void listener.close(1000).then(() => process.exit(0)));
