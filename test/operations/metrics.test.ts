// GET /metrics as Prometheus scrapes it: plain HTTP, text exposition. The
// counters move by exactly the calls made, whatever the protocol; the flag
// turns the endpoint off or moves it to a port of its own.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { compressionGzip, createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { get } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { loadConfig } from "../../src/config.ts";
import { auth, startTestServer, type TestServer } from "../helpers/server.ts";

let ts: TestServer | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

/** One GET on a fresh connection: status and body. */
function scrape(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"]), body }));
    }).on("error", reject);
  });
}

/** The value of one series, 0 when it does not exist yet. */
function value(body: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of body.split("\n")) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(",") : [];
    if (have.length === want.length && want.every((l) => have.includes(l))) return Number(m[3]);
  }
  return 0;
}

const metricsOf = async (s: TestServer) => (await scrape(`${s.url}/metrics`)).body;
const rpc = (procedure: string, protocol: string, code: string) => ({ procedure: `membership.v1.${procedure}`, protocol, code });

describe("GET /metrics on the API's port", () => {
  it("counts every call by procedure, protocol and code, with its latency", async () => {
    ts = await startTestServer();
    const h = auth(ts.adminToken);
    const grpc = createClient(ProjectService, createGrpcTransport({ baseUrl: ts.url }));
    const connect = createClient(ProjectService, createConnectTransport({ baseUrl: ts.url, httpVersion: "1.1" }));
    const web = createClient(ProjectService, createGrpcWebTransport({ baseUrl: ts.url, httpVersion: "1.1" }));
    const gzip = createClient(ProjectService, createGrpcTransport({ baseUrl: ts.url, sendCompression: compressionGzip, compressMinBytes: 0 }));
    const before = await metricsOf(ts);

    await grpc.createProject({ name: "a" }, h);
    await grpc.createProject({ name: "b" }, h);
    for (let i = 0; i < 3; i++) await web.listProjects({}, h);
    await gzip.listProjects({}, h);
    const notFound = await connect.getProject({ projectId: "404" }, h).catch((e: unknown) => ConnectError.from(e).code);
    expect(notFound).toBe(Code.NotFound);

    const after = await metricsOf(ts);
    const moved = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    const made: [Record<string, string>, number][] = [
      [rpc("ProjectService/CreateProject", "grpc", "OK"), 2],
      [rpc("ProjectService/ListProjects", "grpc-web", "OK"), 3],
      [rpc("ProjectService/ListProjects", "grpc", "OK"), 1], // through Connect's handlers: a compressed request
      [rpc("ProjectService/GetProject", "connect", "NOT_FOUND"), 1],
    ];
    for (const [labels, n] of made) {
      expect(moved("membership_rpc_calls_total", labels), JSON.stringify(labels)).toBe(n);
      expect(moved("membership_rpc_duration_seconds_count", labels), JSON.stringify(labels)).toBe(n);
    }
    const total = after.split("\n").filter((l) => l.startsWith("membership_rpc_calls_total{")).reduce((a, l) => a + Number(l.split(" ")[1]), 0);
    expect(total).toBe(7);
    expect(value(after, "membership_rpc_in_flight", { procedure: "membership.v1.ProjectService/CreateProject", protocol: "grpc" })).toBe(0);
    // Each create is a transaction of one write: nothing else wrote.
    expect(moved("membership_store_transaction_seconds_count", { outcome: "commit" })).toBe(2);
    expect(moved("membership_store_batch_writes_sum", {})).toBe(2);
  });

  it("shows open watch streams and connections by HTTP version", async () => {
    ts = await startTestServer();
    const h = auth(ts.adminToken);
    const transport = createGrpcTransport({ baseUrl: ts.url });
    const projectId = (await createClient(ProjectService, transport).createProject({ name: "watched" }, h)).project!.id;
    const before = await metricsOf(ts);
    const stop = new AbortController();
    const watch = (async () => {
      for await (const _ of createClient(MembershipService, transport).watchMemberships({ projectId }, { ...h, signal: stop.signal }));
    })().catch(() => {});
    const streams = (body: string) => value(body, "membership_watch_streams_open", { procedure: "membership.v1.MembershipService/WatchMemberships" });
    let during = await metricsOf(ts);
    for (let i = 0; i < 100 && streams(during) === 0; i++) during = await metricsOf(ts);
    expect(streams(during)).toBe(1);
    expect(value(during, "membership_rpc_in_flight", { procedure: "membership.v1.MembershipService/WatchMemberships", protocol: "grpc" })).toBe(1);
    // The transport's one HTTP/2 connection; every scrape opens and closes its own HTTP/1.1 one.
    expect(value(during, "membership_http_connections_open", { http_version: "2" })).toBe(1);
    expect(value(during, "membership_http_connections_total", { http_version: "1.1" }) - value(before, "membership_http_connections_total", { http_version: "1.1" })).toBeGreaterThanOrEqual(1);
    stop.abort();
    await watch;
    let after = await metricsOf(ts);
    for (let i = 0; i < 100 && streams(after) !== 0; i++) after = await metricsOf(ts);
    expect(streams(after)).toBe(0);
    expect(value(after, "membership_rpc_calls_total", { procedure: "membership.v1.MembershipService/WatchMemberships", protocol: "grpc", code: "CANCELLED" })).toBe(1);
  });

  it("includes the process metrics, in Prometheus' text format", async () => {
    ts = await startTestServer();
    const res = await scrape(`${ts.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(res.body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(res.body).toContain("# TYPE membership_rpc_duration_seconds histogram");
  });
});

describe("the metrics flag", () => {
  it("off: GET /metrics answers 404, the API still answers", async () => {
    ts = await startTestServer({ metrics: "off" });
    expect((await scrape(`${ts.url}/metrics`)).status).toBe(404);
    expect((await scrape(`${ts.url}/healthz`)).status).toBe(200);
    expect(ts.server.metricsUrl).toBeNull();
  });

  it("host:port: served there, 404 on the API's port", async () => {
    ts = await startTestServer({ metrics: { host: "127.0.0.1", port: 0 } });
    await createClient(ProjectService, createGrpcTransport({ baseUrl: ts.url })).listProjects({}, auth(ts.adminToken));
    const moved = ts.server.metricsUrl!;
    expect(moved).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(moved).port).not.toBe(new URL(ts.url).port);
    const res = await scrape(moved);
    expect(res.status).toBe(200);
    expect(value(res.body, "membership_rpc_calls_total", rpc("ProjectService/ListProjects", "grpc", "OK"))).toBe(1);
    expect((await scrape(`${ts.url}/metrics`)).status).toBe(404);
    expect((await scrape(moved.replace("/metrics", "/"))).status).toBe(404);
  });

  it("reads --metrics and MEMBERSHIP_METRICS, and names the flag when the value is bad", () => {
    expect(loadConfig([], {}).metrics).toBe("main");
    expect(loadConfig(["--metrics", "off"], {}).metrics).toBe("off");
    expect(loadConfig([], { MEMBERSHIP_METRICS: "0.0.0.0:9464" }).metrics).toEqual({ host: "0.0.0.0", port: 9464 });
    expect(loadConfig(["--metrics", "[::1]:9464"], { MEMBERSHIP_METRICS: "off" }).metrics).toEqual({ host: "::1", port: 9464 });
    expect(() => loadConfig(["--metrics", "sometimes"], {})).toThrow(/--metrics must be on, off or host:port/);
    expect(() => loadConfig(["--metrics", "localhost:99999"], {})).toThrow(/--metrics/);
  });
});
