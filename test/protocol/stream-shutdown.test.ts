// Server shutdown ends every open stream at once, so close() does not wait
// out the grace period for streams that would otherwise run forever, and
// with UNAVAILABLE: the stream is not complete, the client should reconnect
// (WatchMemberships from the last sequence it received). Health.Watch first
// reports NOT_SERVING, so a load balancer learns why.
import { Code, createClient } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { Health, HealthCheckRequestSchema, HealthCheckResponseSchema } from "../../gen/grpc/health/v1/health_pb.js";
import { MembershipService, WatchMembershipsRequestSchema, WatchMembershipsResponseSchema } from "../../gen/membership/v1/membership_pb.js";
import { createWorld } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { drain } from "../helpers/call-outcomes.ts";
import { FAMILY_PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { ending, grpcJsStream } from "./stream-clients.ts";

// Longer than the test timeout: a close() that waits for the grace period fails the test.
const GRACE_MS = 60_000;
let ts: TestServer | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

/** A server with one replayable membership event in a project. */
async function start() {
  ts = await startTestServer({ shutdownGraceMs: GRACE_MS });
  const w = await createWorld(ts);
  const [a, b] = [await w.newUser(), await w.newUser()];
  const afterSequence = (await w.c.members.addProjectMember({ projectId: w.projectId, userId: a.id }, w.admin)).details!.sequence;
  await w.c.members.addProjectMember({ projectId: w.projectId, userId: b.id }, w.admin);
  return { server: ts, request: { projectId: w.projectId, afterSequence }, headers: { authorization: `Bearer ${ts.adminToken}` } };
}

/** `all` resolves once each of `n` streams, given `one` as its onMessage, delivered its first message. */
function arrivals(n: number) {
  let resolve = () => {};
  const all = new Promise<void>((r) => (resolve = r));
  let pending = n;
  return { all, one: (_message: unknown, count: number) => count === 1 && --pending === 0 && resolve() };
}

describe.each(FAMILY_PROTOCOLS)("server shutdown over $name (Connect client)", (client) => {
  it("ends WatchMemberships and Health.Watch with UNAVAILABLE after the messages sent so far", async () => {
    const { server, request, headers } = await start();
    const t = client.transport(server.url);
    const first = arrivals(2);
    const watch = drain(createClient(MembershipService, t).watchMemberships(request, { headers }), first.one);
    const health = drain(createClient(Health, t).watch({ service: "" }), first.one);
    await first.all;
    await server.close();
    expect(ending(await watch)).toEqual({ events: 1, code: Code.Unavailable });
    expect(ending(await health)).toEqual({ events: 2, code: Code.Unavailable });
  });
});

describe("server shutdown over @grpc/grpc-js", () => {
  it("ends WatchMemberships and Health.Watch with UNAVAILABLE after the messages sent so far", async () => {
    const { server, request, headers } = await start();
    const first = arrivals(2);
    const schemas = { input: WatchMembershipsRequestSchema, output: WatchMembershipsResponseSchema };
    const watch = grpcJsStream(server.url, "/membership.v1.MembershipService/WatchMemberships", schemas, request, { metadata: headers, onMessage: first.one });
    const healthSchemas = { input: HealthCheckRequestSchema, output: HealthCheckResponseSchema };
    const health = grpcJsStream(server.url, "/grpc.health.v1.Health/Watch", healthSchemas, { service: "" }, { onMessage: first.one });
    await first.all;
    await server.close();
    expect(ending(await watch)).toEqual({ events: 1, code: Code.Unavailable });
    expect(ending(await health)).toEqual({ events: 2, code: Code.Unavailable });
  });
});
