// What only a raw serving path has to get right: clients that reset or go
// away mid-call, limits enforced before a body is buffered, and a graceful
// stop that lets calls in flight finish.
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import * as http from "node:http";
import * as http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckAccessRequestSchema } from "../../gen/membership/v1/membership_pb.js";
import { createWorld } from "../helpers/fixtures.ts";
import { envelope, exchange } from "../helpers/raw-exchange.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const PATH = "/membership.v1.MembershipService/CheckAccess";
let ts: TestServer;
let projectId: string;
const grpcHeaders = () => ({ "content-type": "application/grpc", te: "trailers", authorization: `Bearer ${ts.adminToken}` });
const checkBody = () => envelope(toBinary(CheckAccessRequestSchema, create(CheckAccessRequestSchema, { projectId, permission: "project.read" })));
const errorLines = () => ts.logs.filter((l) => JSON.parse(l).level === "error");

beforeAll(async () => {
  ts = await startTestServer({ fastPath: true });
  projectId = (await createWorld(ts)).projectId;
});
afterAll(() => ts.close());

async function stillServes() {
  const x = await exchange(ts.url, { http: 2, path: PATH, headers: grpcHeaders(), body: checkBody() });
  expect([x.status, x.trailers["grpc-status"]]).toEqual([200, "0"]);
}

describe("clients that go away", () => {
  it("an HTTP/2 stream reset halfway through its body ends the call quietly", async () => {
    const session = http2.connect(ts.url);
    const closed: Promise<number>[] = [];
    for (let i = 0; i < 20; i++) {
      const stream = session.request({ ":method": "POST", ":path": PATH, ...grpcHeaders() });
      stream.on("error", () => {});
      closed.push(new Promise((ok) => stream.on("close", () => ok(stream.rstCode))));
      stream.write(checkBody().subarray(0, 4));
      setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), 5 * i);
    }
    expect(await Promise.all(closed)).toEqual(Array(20).fill(http2.constants.NGHTTP2_CANCEL));
    session.close();
    await stillServes();
    expect(errorLines()).toEqual([]);
  });

  it("an HTTP/1.1 client that drops its connection mid-body ends the call quietly", async () => {
    for (let i = 0; i < 10; i++) {
      await new Promise<void>((ok) => {
        const req = http.request(`${ts.url}${PATH}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${ts.adminToken}`, "content-length": "500" } });
        req.on("error", () => ok());
        req.write('{"projectId":');
        setTimeout(() => req.destroy(), 20);
      });
    }
    await stillServes();
    expect(errorLines()).toEqual([]);
  });
});

describe("limits before buffering", () => {
  it("refuses a gRPC message whose declared size is over readMaxBytes while the client is still sending", async () => {
    const head = Buffer.from([0, 0x01, 0, 0, 0]); // 16 MiB promised, nothing sent
    const x = await exchange(ts.url, { http: 2, path: PATH, headers: grpcHeaders(), body: head, holdOpen: true });
    expect([x.trailersOnly, x.headers["grpc-status"]]).toEqual([true, "8"]);
    expect(decodeURIComponent(x.headers["grpc-message"]!)).toContain("readMaxBytes");
  });

  it("refuses a Connect body whose content-length is over readMaxBytes before reading it", async () => {
    const headers = { "content-type": "application/json", authorization: `Bearer ${ts.adminToken}`, "content-length": String(64 << 20) };
    const x = await exchange(ts.url, { http: 2, path: PATH, headers, body: "{", holdOpen: true });
    expect(x.status).toBe(429);
    expect(JSON.parse(x.body.toString()).code).toBe("resource_exhausted");
  });
});

describe("graceful stop", () => {
  it("answers a call that is in flight when the server starts to stop", async () => {
    const own = await startTestServer({ fastPath: true });
    const pid = (await createWorld(own)).projectId;
    const body = toJsonString(CheckAccessRequestSchema, create(CheckAccessRequestSchema, { projectId: pid, permission: "project.read" }));
    const headers = { "content-type": "application/json", authorization: `Bearer ${own.adminToken}` };
    const pending = exchange(own.url, { http: 2, path: PATH, headers, body, bodyDelayMs: 300 });
    await new Promise((r) => setTimeout(r, 100));
    const stopped = own.close();
    const x = await pending;
    await stopped;
    expect(x.status).toBe(200);
    expect(JSON.parse(x.body.toString()).allowed).toBe(true);
  });
});
