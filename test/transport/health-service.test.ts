import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";
import { startEdgeServer } from "./edge-server.ts";
import { codeOf, drain, take } from "../helpers/call-outcomes.ts";
import { closeAfterEach, h1Request } from "./helpers.ts";

const closeLater = closeAfterEach();

async function start() {
  const server = await startEdgeServer();
  closeLater(server.listener);
  const client = createClient(Health, createGrpcTransport({ baseUrl: server.listener.url }));
  return { server, client };
}

describe("Health.Check", () => {
  it("reports the serving state for the server and known services", async () => {
    const { server, client } = await start();
    expect((await client.check({ service: "" })).status).toBe(Status.SERVING);
    expect((await client.check({ service: "membership.v1.MembershipService" })).status).toBe(Status.SERVING);
    server.health.setServing(false);
    expect((await client.check({ service: "" })).status).toBe(Status.NOT_SERVING);
  });

  it("answers NOT_FOUND for an unknown service", async () => {
    const { client } = await start();
    expect(await codeOf(client.check({ service: "nope.v1.Nope" }))).toBe(Code.NotFound);
  });
});

describe("Health.Watch", () => {
  it("sends the current status, then each change, and ends when the client leaves", async () => {
    const { server, client } = await start();
    const abort = new AbortController();
    const { messages, code } = await drain(client.watch({ service: "" }, { signal: abort.signal }), (_res, count) => {
      if (count === 1) server.health.setServing(false);
      if (count === 2) abort.abort();
    });
    expect(code).toBe(Code.Canceled);
    expect(messages.map((m) => m.status)).toEqual([Status.SERVING, Status.NOT_SERVING]);
    // The server side ended too: closing needs no grace period (one far longer
    // than the test may take would fail it by its timeout).
    await server.listener.close(600_000);
  });

  it("streams SERVICE_UNKNOWN for an unknown service instead of failing", async () => {
    const { client } = await start();
    const first = await take(1, (signal) => client.watch({ service: "nope.v1.Nope" }, { signal }));
    expect(first.map((m) => m.status)).toEqual([Status.SERVICE_UNKNOWN]);
  });
});

describe("GET /healthz", () => {
  it("returns 200 while serving, then 503", async () => {
    const { server } = await start();
    const up = await h1Request(server.listener.url, { path: "/healthz" });
    expect(up.status).toBe(200);
    expect(up.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(up.body.toString())).toEqual({ status: "SERVING" });
    server.health.setServing(false);
    const down = await h1Request(server.listener.url, { path: "/healthz" });
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body.toString())).toEqual({ status: "NOT_SERVING" });
  });
});
