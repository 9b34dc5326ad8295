// A server stream whose deadline passes ends with DEADLINE_EXCEEDED, never
// OK: an OK ending says "this stream is complete", and a client that trusts
// it would stop following changes. Clients that enforce deadlines themselves
// (grpc-js, Connect with timeoutMs) see their own timer first, so the server's
// answer is tested by sending only the timeout header.
import { Code, createClient } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import { Health, HealthCheckRequestSchema, HealthCheckResponse_ServingStatus as Status, HealthCheckResponseSchema } from "../../gen/grpc/health/v1/health_pb.js";
import { MembershipService, WatchMembershipsRequestSchema, WatchMembershipsResponseSchema } from "../../gen/membership/v1/membership_pb.js";
import { drain } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { deadlineHeader, FAMILY_PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { grpcJsStream, healthEnding, oneEventToReplay, watchEnding } from "./stream-clients.ts";

const DEADLINE_MS = 300;
const w = useWorld({ per: "suite" });
let token: string;
let watched: Awaited<ReturnType<typeof oneEventToReplay>>;
beforeAll(async () => {
  token = w.ts.adminToken;
  watched = await oneEventToReplay(w);
});

// Each stream first sends one message (the replayed event, the current status), then waits.
describe.each(FAMILY_PROTOCOLS)("stream deadlines over $name (Connect client)", (client) => {
  const headers = () => ({ authorization: `Bearer ${token}`, ...deadlineHeader(client, DEADLINE_MS) });

  it("WatchMemberships ends with DEADLINE_EXCEEDED when only the server enforces the deadline", async () => {
    const members = createClient(MembershipService, client.transport(w.ts.url));
    expect(watchEnding(await drain(members.watchMemberships(watched.request, { headers: headers() })))).toEqual({ principals: [watched.replayed], code: Code.DeadlineExceeded });
  });

  it("Health.Watch ends with DEADLINE_EXCEEDED when only the server enforces the deadline", async () => {
    const health = createClient(Health, client.transport(w.ts.url));
    expect(healthEnding(await drain(health.watch({ service: "" }, { headers: headers() })))).toEqual({ statuses: [Status.SERVING], code: Code.DeadlineExceeded });
  });

  it("a client-side timeoutMs also ends both streams with DEADLINE_EXCEEDED", async () => {
    const t = client.transport(w.ts.url);
    const auth = { headers: { authorization: `Bearer ${token}` }, timeoutMs: DEADLINE_MS };
    const watch = drain(createClient(MembershipService, t).watchMemberships(watched.request, auth));
    const health = drain(createClient(Health, t).watch({ service: "" }, { timeoutMs: DEADLINE_MS }));
    expect(watchEnding(await watch)).toEqual({ principals: [watched.replayed], code: Code.DeadlineExceeded });
    expect(healthEnding(await health)).toEqual({ statuses: [Status.SERVING], code: Code.DeadlineExceeded });
  });
});

describe("stream deadlines over @grpc/grpc-js", () => {
  const watchPath = "/membership.v1.MembershipService/WatchMemberships";
  const watchSchemas = { input: WatchMembershipsRequestSchema, output: WatchMembershipsResponseSchema };
  const healthPath = "/grpc.health.v1.Health/Watch";
  const healthSchemas = { input: HealthCheckRequestSchema, output: HealthCheckResponseSchema };

  it("grpc-timeout in metadata: the server ends both streams with DEADLINE_EXCEEDED", async () => {
    const metadata = { authorization: `Bearer ${token}`, "grpc-timeout": `${DEADLINE_MS}m` };
    const [watch, health] = await Promise.all([
      grpcJsStream(w.ts.url, watchPath, watchSchemas, watched.request, { metadata }),
      grpcJsStream(w.ts.url, healthPath, healthSchemas, { service: "" }, { metadata }),
    ]);
    expect(watchEnding(watch)).toEqual({ principals: [watched.replayed], code: Code.DeadlineExceeded });
    expect(healthEnding(health)).toEqual({ statuses: [Status.SERVING], code: Code.DeadlineExceeded });
  });

  it("the deadline call option ends both streams with DEADLINE_EXCEEDED", async () => {
    const deadline = new Date(Date.now() + DEADLINE_MS);
    const metadata = { authorization: `Bearer ${token}` };
    const [watch, health] = await Promise.all([
      grpcJsStream(w.ts.url, watchPath, watchSchemas, watched.request, { metadata, deadline }),
      grpcJsStream(w.ts.url, healthPath, healthSchemas, { service: "" }, { deadline }),
    ]);
    expect(watchEnding(watch)).toEqual({ principals: [watched.replayed], code: Code.DeadlineExceeded });
    expect(healthEnding(health)).toEqual({ statuses: [Status.SERVING], code: Code.DeadlineExceeded });
  });

  it("a stream whose deadline passed leaves no error in the server log", () => {
    expect(w.ts.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
