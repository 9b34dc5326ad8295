// Requests that are the client's fault are answered as such: a request
// without a Host gets 400, a body that does not decode gets INVALID_ARGUMENT
// (as connect-go answers), on every protocol, and none of it is logged as a
// server error.
import * as http2 from "node:http2";
import * as net from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frame, parseFrames } from "../helpers/raw-grpc-web-text-transport.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { h1Request } from "../transport/helpers.ts";

let ts: TestServer;
let auth: Record<string, string>;
beforeAll(async () => {
  ts = await startTestServer();
  auth = { authorization: `Bearer ${ts.adminToken}` };
});
afterAll(() => ts.close());

const UNARY = "/membership.v1.ProjectService/GetProject";
const STREAM = "/membership.v1.MembershipService/WatchMemberships";
// Field 1, length-delimited, announcing 127 bytes that never come.
const BAD_PROTO = Buffer.from([0x0a, 0x7f, 0x01]);
const BAD_JSON = Buffer.from('{"projectId": ');
const CODE_INVALID_ARGUMENT = "3";

/** Error and warning lines logged since `from`. */
const serverErrors = (from: number) => ts.logs.slice(from).filter((l) => /"level":"(error|warn)"/.test(l));

/** Sends raw bytes and resolves with everything the server answered before it closed. */
function rawHttp(bytes: string): Promise<string> {
  const { hostname, port } = new URL(ts.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    let text = "";
    socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve(text));
  });
}

describe("an HTTP/1.0 request without Host", () => {
  it("gets 400 on every RPC protocol, logged at debug at most", async () => {
    const before = ts.logs.length;
    for (const contentType of ["application/json", "application/proto", "application/grpc-web+proto", "application/grpc-web-text"]) {
      const body = contentType === "application/json" ? '{"projectId":"1"}' : "";
      const res = await rawHttp(`POST ${UNARY} HTTP/1.0\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      expect(res).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(ts.logs.slice(before).filter((l) => !l.includes('"level":"debug"'))).toEqual([]);
  });
});

// Each format with the bodies that fail to decode in it: enveloped for the
// streaming wire formats, bare for Connect unary. Compressed ones go out
// with grpc-encoding: gzip.
const FORMATS = [
  {
    format: "protobuf",
    suffix: "proto",
    connectUnary: "application/proto",
    bare: BAD_PROTO,
    enveloped: [frame(0, BAD_PROTO), frame(1, gzipSync(BAD_PROTO)), frame(1, gzipSync(Buffer.from("x")).subarray(0, 12))],
  },
  { format: "JSON", suffix: "json", connectUnary: "application/json", bare: BAD_JSON, enveloped: [frame(0, BAD_JSON)] },
];

describe.each(FORMATS)("a request body that is not valid $format", (f) => {
  let mark = 0;
  beforeAll(() => {
    mark = ts.logs.length;
  });
  const post = (path: string, contentType: string, body: Buffer) =>
    h1Request(ts.url, { method: "POST", path, headers: { "content-type": contentType, "grpc-encoding": "gzip", ...auth }, body });

  it.each([UNARY, STREAM])("gets INVALID_ARGUMENT over gRPC (%s)", async (path) => {
    for (const body of f.enveloped) {
      expect(await grpcStatus(path, { "content-type": `application/grpc+${f.suffix}`, "grpc-encoding": "gzip" }, body)).toBe(CODE_INVALID_ARGUMENT);
    }
  });

  it.each([UNARY, STREAM])("gets INVALID_ARGUMENT over gRPC-web (%s)", async (path) => {
    for (const body of f.enveloped) {
      const res = await post(path, `application/grpc-web+${f.suffix}`, body);
      expect(parseFrames(res.body).trailer.get("grpc-status")).toBe(CODE_INVALID_ARGUMENT);
    }
  });

  it("gets INVALID_ARGUMENT over Connect: 400 for unary, the end-stream error for a stream", async () => {
    const unary = await h1Request(ts.url, { method: "POST", path: UNARY, headers: { "content-type": f.connectUnary, ...auth }, body: f.bare });
    expect(unary.status).toBe(400);
    expect(JSON.parse(unary.body.toString()).code).toBe("invalid_argument");
    const stream = await h1Request(ts.url, {
      method: "POST",
      path: STREAM,
      headers: { "content-type": `application/connect+${f.suffix}`, ...auth },
      body: f.enveloped[0],
    });
    expect(endStreamError(stream.body).code).toBe("invalid_argument");
  });

  it("leaves nothing in the server log as an error", () => {
    expect(serverErrors(mark)).toEqual([]);
  });
});

/** One gRPC call over h2c; resolves with grpc-status from the trailers, or from the headers of a trailers-only answer. */
function grpcStatus(path: string, headers: http2.OutgoingHttpHeaders, body: Buffer): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(ts.url);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, ...auth, ...headers });
    let status: string | undefined;
    const take = (h: http2.IncomingHttpHeaders) => (status ??= h["grpc-status"] as string | undefined);
    stream.on("response", take);
    stream.on("trailers", take);
    stream.on("error", reject);
    stream.resume();
    stream.on("close", () => {
      session.close();
      resolve(status);
    });
    stream.end(body);
  });
}

/** The error of a Connect streaming response's end-stream frame (flag 0x02). */
function endStreamError(body: Buffer): { code: string; message: string } {
  let at = 0;
  while (at < body.length) {
    const flags = body[at]!;
    const len = body.readUInt32BE(at + 1);
    if (flags & 0x02) return JSON.parse(body.subarray(at + 5, at + 5 + len).toString()).error;
    at += 5 + len;
  }
  throw new Error("no end-stream frame");
}
