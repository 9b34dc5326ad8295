// grpc.health.v1.Health, for load balancers and Kubernetes gRPC probes.
// One serving flag covers the whole server: every service shares the same
// process and database, so none can be up while another is down.
import { Code, ConnectError } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";
import { createChangeNotifier } from "../audit/change-notifier.ts";
import { publicStream, publicUnary, type Route } from "../rpc/route.ts";
import { endStream } from "../rpc/stream-end.ts";

export interface HealthState {
  isServing(): boolean;
  setServing(serving: boolean): void;
  /** Resolves on the next change, or when signal aborts. */
  changed(signal: AbortSignal): Promise<void>;
}

/** Starts serving: the listener only accepts once the server is ready; setServing(false) drains. */
export function createHealthState(): HealthState {
  let serving = true;
  const changes = createChangeNotifier();
  return {
    isServing: () => serving,
    setServing(next) {
      if (next === serving) return;
      serving = next;
      changes.notify();
    },
    changed: (signal) => changes.wait(signal),
  };
}

export function healthRoutes(state: HealthState, knownServices: () => string[]): Route[] {
  const statusOf = (service: string): Status => {
    if (service !== "" && !knownServices().includes(service)) return Status.SERVICE_UNKNOWN;
    return state.isServing() ? Status.SERVING : Status.NOT_SERVING;
  };
  return [
    publicUnary(Health.method.check, async (req) => {
      const status = statusOf(req.service);
      // The health checking protocol prescribes NOT_FOUND for an unknown service in Check.
      if (status === Status.SERVICE_UNKNOWN) throw new ConnectError(`unknown service ${req.service}`, Code.NotFound);
      return { status };
    }),
    // Runs until the client goes away or its deadline passes, or the server stops; endStream tells them apart.
    publicStream(Health.method.watch, async function* (req, env) {
      let last: Status | undefined;
      while (!env.signal.aborted) {
        const status = statusOf(req.service);
        if (status !== last) {
          last = status;
          yield { status };
        }
        await state.changed(env.signal);
      }
      endStream(env.signal);
    }),
  ];
}
