// The REST paths at the edge: browsers (CORS), limits, retry hints, JSON
// defaults, and clients that go away, on a real server.
import * as http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createWorld } from "../helpers/fixtures.ts";
import { bearer, REST_CLIENTS } from "../helpers/rest-clients.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const app = "https://app.example.com";
let ts: TestServer | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});
const rest = (server: TestServer) => REST_CLIENTS[0]!.make(server.url);

describe("REST paths at the edge", () => {
  it("lets a browser preflight PUT and DELETE, and exposes the answer to it", async () => {
    ts = await startTestServer({ corsOrigins: [app] });
    const headers = { origin: app, "access-control-request-method": "PUT", "access-control-request-headers": "authorization,content-type,x-zitadel-orgid" };
    const pre = await rest(ts)("OPTIONS", "/management/v1/projects/1/members/2", { headers });
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-methods"]!.split(", ")).toEqual(expect.arrayContaining(["PUT", "PATCH", "DELETE", "POST", "GET"]));
    const actual = await rest(ts)("GET", "/v1/projects", { headers: { ...bearer(ts.adminToken), origin: app } });
    expect(actual.status).toBe(200);
    expect(actual.headers["access-control-allow-origin"]).toBe(app);
  });

  it("answers 413 for a body over --read-max-bytes, and the server goes on", async () => {
    ts = await startTestServer({ readMaxBytes: 64 });
    const big = await rest(ts)("POST", "/v1/projects", { headers: bearer(ts.adminToken), body: { name: "x".repeat(100) } });
    expect([big.status, big.json.code]).toEqual([413, 8]);
    const ok = await rest(ts)("POST", "/v1/projects", { headers: bearer(ts.adminToken), body: { name: "small" } });
    expect(ok.status).toBe(200);
  });

  it("gives the retry hint of a spent authentication budget as retry-after, with 429", async () => {
    ts = await startTestServer({ authFailBudget: 1 });
    const first = await rest(ts)("GET", "/v1/projects", { headers: bearer("mbr_wrong") });
    expect(first.status).toBe(401);
    const second = await rest(ts)("GET", "/v1/projects", { headers: bearer("mbr_wrong") });
    expect([second.status, second.json.code]).toEqual([429, 8]);
    expect(Number(second.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("writes fields that hold their default value, as the RPC answers do", async () => {
    ts = await startTestServer();
    const w = await createWorld(ts);
    const u = await w.newUser();
    const res = await rest(ts)("GET", `/v1/projects/${w.projectId}/access?user_id=${u.id}&permission=project.read`, { headers: bearer(ts.adminToken) });
    expect(res.json).toEqual({ allowed: false, roles: [] });
  });

  it("answers the next request after a client that went away mid-body", async () => {
    ts = await startTestServer();
    const { port } = new URL(ts.url);
    await new Promise<void>((resolve) => {
      const req = http.request({ port, method: "POST", path: "/v1/projects", headers: { ...bearer(ts!.adminToken), "content-length": "1000" } });
      req.on("error", () => resolve());
      req.write("{\"name\":");
      setImmediate(() => req.destroy());
      req.on("close", () => resolve());
    });
    const after = await rest(ts)("GET", "/v1/projects", { headers: bearer(ts.adminToken) });
    expect(after.status).toBe(200);
    expect(ts.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
