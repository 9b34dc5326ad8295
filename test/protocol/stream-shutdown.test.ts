// Server shutdown ends every open stream at once, so close() does not wait
// out the grace period for streams that would otherwise run forever, and
// with UNAVAILABLE: the stream is not complete, the client should reconnect
// (WatchMemberships from the last sequence it received). Health.Watch first
// reports NOT_SERVING, so a load balancer learns why.
import { Code, createClient } from "@connectrpc/connect";
import { beforeEach, describe, expect, it } from "vitest";
import {
  Health,
  HealthCheckRequestSchema,
  HealthCheckResponse_ServingStatus as Status,
  HealthCheckResponseSchema,
  type HealthCheckResponse,
} from "../../gen/grpc/health/v1/health_pb.js";
import {
  MembershipService,
  WatchMembershipsRequestSchema,
  WatchMembershipsResponseSchema,
  type WatchMembershipsResponse,
} from "../../gen/membership/v1/membership_pb.js";
import { drain, type StreamOutcome } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { FAMILY_PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { grpcJsStream, healthEnding, oneEventToReplay, watchEnding } from "./stream-clients.ts";

// Longer than the test timeout: a close() that waits for the grace period fails the test.
const GRACE_MS = 60_000;
const w = useWorld({ shutdownGraceMs: GRACE_MS });
let watched: Awaited<ReturnType<typeof oneEventToReplay>>;
beforeEach(async () => {
  watched = await oneEventToReplay(w);
});

/** `all` resolves once each of `n` streams, given `one` as its onMessage, delivered its first message. */
function arrivals(n: number) {
  let resolve = () => {};
  const all = new Promise<void>((r) => (resolve = r));
  let pending = n;
  return { all, one: (_message: unknown, count: number) => count === 1 && --pending === 0 && resolve() };
}

/**
 * Stops the server once both streams delivered their first message: the
 * watch has sent its one replayed event, Health SERVING and then, stopping,
 * NOT_SERVING; both end UNAVAILABLE.
 */
async function closeAndCheck(
  firstArrived: Promise<void>,
  watch: Promise<StreamOutcome<WatchMembershipsResponse>>,
  health: Promise<StreamOutcome<HealthCheckResponse>>,
) {
  await firstArrived;
  await w.ts.close();
  expect(watchEnding(await watch)).toEqual({ principals: [watched.replayed], code: Code.Unavailable });
  expect(healthEnding(await health)).toEqual({ statuses: [Status.SERVING, Status.NOT_SERVING], code: Code.Unavailable });
}

describe.each(FAMILY_PROTOCOLS)("server shutdown over $name (Connect client)", (client) => {
  it("ends WatchMemberships and Health.Watch with UNAVAILABLE after the messages sent so far", async () => {
    const t = client.transport(w.ts.url);
    const first = arrivals(2);
    const watch = drain(createClient(MembershipService, t).watchMemberships(watched.request, w.admin), first.one);
    const health = drain(createClient(Health, t).watch({ service: "" }), first.one);
    await closeAndCheck(first.all, watch, health);
  });
});

describe("server shutdown over @grpc/grpc-js", () => {
  it("ends WatchMemberships and Health.Watch with UNAVAILABLE after the messages sent so far", async () => {
    const first = arrivals(2);
    const schemas = { input: WatchMembershipsRequestSchema, output: WatchMembershipsResponseSchema };
    const watch = grpcJsStream(w.ts.url, "/membership.v1.MembershipService/WatchMemberships", schemas, watched.request, { metadata: w.admin.headers, onMessage: first.one });
    const healthSchemas = { input: HealthCheckRequestSchema, output: HealthCheckResponseSchema };
    const health = grpcJsStream(w.ts.url, "/grpc.health.v1.Health/Watch", healthSchemas, { service: "" }, { onMessage: first.one });
    await closeAndCheck(first.all, watch, health);
  });
});
