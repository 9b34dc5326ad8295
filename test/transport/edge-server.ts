// The transport stack as the app wires it: listener → edge handler → Connect router.
import { createAuthenticator } from "../../src/access/authenticator.ts";
import { createConnectRouter, createContextValues, type ConnectRouter } from "@connectrpc/connect";
import { requestIdKey } from "../../src/rpc/context-keys.ts";
import { createEdgeHandler } from "../../src/edge/edge-handler.ts";
import { systemClock } from "../../src/kernel/clock.ts";
import type { Repos } from "../../src/kernel/store.ts";
import { createLogger } from "../../src/logger.ts";
import { registerRoutes } from "../../src/rpc/connect-routes.ts";
import { createHealthState, healthRoutes, type HealthState } from "../../src/edge/health-service.ts";
import { startListener, type Listener } from "../../src/edge/listener.ts";

export interface EdgeServer {
  listener: Listener;
  health: HealthState;
  /** Request ids the edge handed to contextValues, in order. */
  requestIds: string[];
}

export async function startEdgeServer(
  extraRoutes: (router: ConnectRouter) => void = () => {},
  knownServices: string[] = ["membership.v1.MembershipService"],
): Promise<EdgeServer> {
  const health = createHealthState();
  const router = createConnectRouter();
  // Health is public: its calls never reach the repositories.
  const log = createLogger("silent");
  const auth = createAuthenticator({ repos: {} as Repos, clock: systemClock, log });
  registerRoutes(router, healthRoutes(health, () => knownServices), { repos: {} as Repos, clock: systemClock, log, auth });
  extraRoutes(router);
  const requestIds: string[] = [];
  const handler = createEdgeHandler({
    handlers: router.handlers,
    cors: { allowedOrigins: ["https://app.example.com"] },
    health,
    contextValues: (requestId) => {
      requestIds.push(requestId);
      return createContextValues().set(requestIdKey, requestId);
    },
  });
  const listener = await startListener({ host: "127.0.0.1", port: 0, handler });
  return { listener, health, requestIds };
}
