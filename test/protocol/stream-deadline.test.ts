// A server stream whose deadline passes ends with DEADLINE_EXCEEDED, never
// OK: an OK ending says "this stream is complete", and a client that trusts
// it would stop following changes. Clients that enforce deadlines themselves
// (grpc-js, Connect with timeoutMs) see their own timer first, so the server's
// answer is tested by sending only the timeout header.
import { Code, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health, HealthCheckRequestSchema, HealthCheckResponseSchema } from "../../gen/grpc/health/v1/health_pb.js";
import { MembershipService, WatchMembershipsRequestSchema, WatchMembershipsResponseSchema } from "../../gen/membership/v1/membership_pb.js";
import { createWorld } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { drain } from "../helpers/call-outcomes.ts";
import { deadlineHeader, FAMILY_PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { ending, grpcJsStream } from "./stream-clients.ts";

const DEADLINE_MS = 300;
let ts: TestServer;
let token: string;
let projectId: string;
let afterSequence: bigint;

beforeAll(async () => {
  ts = await startTestServer();
  token = ts.adminToken;
  const w = await createWorld(ts);
  projectId = w.projectId;
  const [a, b] = [await w.newUser(), await w.newUser()];
  afterSequence = (await w.c.members.addProjectMember({ projectId, userId: a.id }, w.admin)).details!.sequence;
  await w.c.members.addProjectMember({ projectId, userId: b.id }, w.admin);
});
afterAll(() => ts.close());

// Each stream first sends one message (the replayed event, the current status), then waits.
describe.each(FAMILY_PROTOCOLS)("stream deadlines over $name (Connect client)", (client) => {
  const headers = () => ({ authorization: `Bearer ${token}`, ...deadlineHeader(client, DEADLINE_MS) });

  it("WatchMemberships ends with DEADLINE_EXCEEDED when only the server enforces the deadline", async () => {
    const members = createClient(MembershipService, client.transport(ts.url));
    expect(ending(await drain(members.watchMemberships({ projectId, afterSequence }, { headers: headers() })))).toEqual({ events: 1, code: Code.DeadlineExceeded });
  });

  it("Health.Watch ends with DEADLINE_EXCEEDED when only the server enforces the deadline", async () => {
    const health = createClient(Health, client.transport(ts.url));
    expect(ending(await drain(health.watch({ service: "" }, { headers: headers() })))).toEqual({ events: 1, code: Code.DeadlineExceeded });
  });

  it("a client-side timeoutMs also ends both streams with DEADLINE_EXCEEDED", async () => {
    const t = client.transport(ts.url);
    const auth = { headers: { authorization: `Bearer ${token}` }, timeoutMs: DEADLINE_MS };
    const watch = drain(createClient(MembershipService, t).watchMemberships({ projectId, afterSequence }, auth));
    const health = drain(createClient(Health, t).watch({ service: "" }, { timeoutMs: DEADLINE_MS }));
    expect(ending(await watch)).toEqual({ events: 1, code: Code.DeadlineExceeded });
    expect(ending(await health)).toEqual({ events: 1, code: Code.DeadlineExceeded });
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
      grpcJsStream(ts.url, watchPath, watchSchemas, { projectId, afterSequence }, { metadata }),
      grpcJsStream(ts.url, healthPath, healthSchemas, { service: "" }, { metadata }),
    ]);
    expect(ending(watch)).toEqual({ events: 1, code: Code.DeadlineExceeded });
    expect(ending(health)).toEqual({ events: 1, code: Code.DeadlineExceeded });
  });

  it("the deadline call option ends both streams with DEADLINE_EXCEEDED", async () => {
    const deadline = new Date(Date.now() + DEADLINE_MS);
    const metadata = { authorization: `Bearer ${token}` };
    const [watch, health] = await Promise.all([
      grpcJsStream(ts.url, watchPath, watchSchemas, { projectId, afterSequence }, { metadata, deadline }),
      grpcJsStream(ts.url, healthPath, healthSchemas, { service: "" }, { deadline }),
    ]);
    expect(ending(watch)).toEqual({ events: 1, code: Code.DeadlineExceeded });
    expect(ending(health)).toEqual({ events: 1, code: Code.DeadlineExceeded });
  });

  it("a stream whose deadline passed leaves no error in the server log", () => {
    expect(ts.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
