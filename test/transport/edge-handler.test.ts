import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  HealthCheckRequestSchema,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as Status,
} from "../../gen/grpc/health/v1/health_pb.js";
import { decodeBase64Runs } from "../helpers/raw-grpc-web-text-transport.ts";
import { startEdgeServer } from "./edge-server.ts";
import { closeAfterEach, h1Request, h2Request } from "./helpers.ts";

const closeLater = closeAfterEach();

async function start() {
  const server = await startEdgeServer();
  closeLater(server.listener);
  return server.listener.url;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** grpc-web frames: 1 flag byte, 4 length bytes, payload. */
function frame(flags: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flags;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

function parseFrames(buf: Buffer): { flags: number; payload: Buffer }[] {
  const frames = [];
  for (let i = 0; i < buf.length; ) {
    const len = buf.readUInt32BE(i + 1);
    frames.push({ flags: buf[i] as number, payload: buf.subarray(i + 5, i + 5 + len) });
    i += 5 + len;
  }
  return frames;
}

function grpcWebTextCheck(url: string, body: string) {
  return h1Request(url, {
    method: "POST",
    path: "/grpc.health.v1.Health/Check",
    headers: { "content-type": "application/grpc-web-text", accept: "application/grpc-web-text", "x-grpc-web": "1" },
    body,
  });
}

describe("edge handler: unknown methods", () => {
  it("answers gRPC with a trailers-only UNIMPLEMENTED", async () => {
    const url = await start();
    const res = await h2Request(
      url,
      { ":method": "POST", ":path": "/nope.v1.Nope/Call", "content-type": "application/grpc", te: "trailers" },
      frame(0, new Uint8Array()),
    );
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/grpc");
    expect(res.headers["grpc-status"]).toBe("12");
    expect(decodeURIComponent(String(res.headers["grpc-message"]))).toBe("unknown method /nope.v1.Nope/Call");
  });

  it("answers grpc-web with grpc-status 12 in the headers", async () => {
    const url = await start();
    const res = await h1Request(url, {
      method: "POST",
      path: "/nope.v1.Nope/Call",
      headers: { "content-type": "application/grpc-web+proto" },
      body: frame(0, new Uint8Array()),
    });
    expect(res.status).toBe(200);
    expect(res.headers["grpc-status"]).toBe("12");
  });

  it("answers Connect with 404 and code unimplemented", async () => {
    const url = await start();
    const res = await h1Request(url, {
      method: "POST",
      path: "/nope.v1.Nope/Call?x=1",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(res.body.toString())).toEqual({ code: "unimplemented", message: "unknown method /nope.v1.Nope/Call" });
  });
});

describe("edge handler: grpc-web-text", () => {
  it("translates a Check call both ways, trailers included", async () => {
    const url = await start();
    const request = frame(0, toBinary(HealthCheckRequestSchema, create(HealthCheckRequestSchema, { service: "" })));
    const res = await grpcWebTextCheck(url, request.toString("base64"));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/grpc-web-text");
    // Each frame is base64 on its own, so the body is padded runs back to back.
    const frames = parseFrames(decodeBase64Runs(res.body.toString("latin1")));
    expect(frames.map((f) => f.flags)).toEqual([0x00, 0x80]);
    expect(fromBinary(HealthCheckResponseSchema, frames[0]!.payload).status).toBe(Status.SERVING);
    expect(frames[1]!.payload.toString()).toMatch(/^grpc-status: ?0\r\n/m);
  });

  it("turns invalid base64 into INVALID_ARGUMENT", async () => {
    const url = await start();
    const res = await grpcWebTextCheck(url, "AAAA*AAA");
    expect(res.status).toBe(200);
    const fromHeader = res.headers["grpc-status"];
    const fromTrailer = /grpc-status: ?(\d+)/.exec(decodeBase64Runs(res.body.toString("latin1")).toString("latin1"))?.[1];
    expect(fromHeader ?? fromTrailer).toBe("3");
  });
});

describe("edge handler: request id", () => {
  it("echoes a well-formed x-request-id", async () => {
    const url = await start();
    const res = await h1Request(url, { path: "/healthz", headers: { "x-request-id": "abc-123.x:y_z" } });
    expect(res.headers["x-request-id"]).toBe("abc-123.x:y_z");
  });

  it("generates one when absent or malformed, and hands it to the call context", async () => {
    const server = await startEdgeServer();
    closeLater(server.listener);
    const url = server.listener.url;
    const absent = await h1Request(url, { path: "/healthz" });
    expect(absent.headers["x-request-id"]).toMatch(uuid);
    const bad = await h1Request(url, { path: "/healthz", headers: { "x-request-id": "no spaces allowed" } });
    expect(bad.headers["x-request-id"]).toMatch(uuid);
    const long = await h1Request(url, { path: "/healthz", headers: { "x-request-id": "a".repeat(129) } });
    expect(long.headers["x-request-id"]).toMatch(uuid);
    const call = await grpcWebTextCheck(url, frame(0, new Uint8Array()).toString("base64"));
    expect(server.requestIds).toEqual([call.headers["x-request-id"]]);
  });
});
