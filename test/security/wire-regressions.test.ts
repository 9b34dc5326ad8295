// Inputs the server answered wrongly, found by the wire fuzzer
// (wire-fuzz.test.ts, scripts/fuzz-wire.ts) and the injection tests, each
// pinned here on every protocol it reaches, with the fast path on and off.
import { create, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateProjectRoleRequestSchema } from "../../gen/membership/v1/project_pb.js";
import { exchange } from "../helpers/raw-exchange.ts";
import { frame } from "../helpers/raw-grpc-web-text-transport.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { contentTypeOf, enveloped, outcomeOf, protocolHeaders, WIRE_PROTOCOLS, type WireProtocol } from "./wire-protocols.ts";

const UNARY = "/membership.v1.ProjectService/ListProjects";
const STREAM = "/membership.v1.MembershipService/WatchMemberships";

describe.each([true, false])("fast path %s", (fastPath) => {
  let ts: TestServer;
  let projectId: string;
  beforeAll(async () => {
    ts = await startTestServer({ fastPath });
    const created = await call(WIRE_PROTOCOLS.find((p) => p.name === "connect json h2")!, "/membership.v1.ProjectService/CreateProject", Buffer.from('{"name":"p"}'));
    projectId = (JSON.parse(created.body.toString()) as { project: { id: string } }).project.id;
  });
  afterAll(() => ts.close());

  /** One call with `message` as the protocol frames it, or with `envelope` as the whole body. */
  async function call(p: WireProtocol, path: string, message: Buffer, envelope?: Buffer) {
    const streaming = path === STREAM;
    const framed = envelope ?? (enveloped(p, streaming) ? frame(0, message) : message);
    const body = p.family === "grpc-web-text" ? Buffer.from(framed.toString("base64")) : framed;
    const headers = { "content-type": contentTypeOf(p, streaming), ...protocolHeaders(p), authorization: `Bearer ${ts.adminToken}` };
    return exchange(ts.url, { http: p.http, path, headers, body, cancelAfterMs: 2000 });
  }
  const errorLogs = (from: number) => ts.logs.slice(from).filter((l) => l.includes('"level":"error"'));

  // The compressed flag (bit 0 of the envelope's flags) set on a request that
  // names no encoding: Connect-ES calls it INTERNAL, but only the client can
  // have got it wrong.
  const withEnvelopes = WIRE_PROTOCOLS.flatMap((p) => [UNARY, STREAM].filter((path) => enveloped(p, path === STREAM)).map((path) => ({ p, path })));
  it.each(withEnvelopes)("a compressed flag without an encoding is INVALID_ARGUMENT: $p.name $path", async ({ p, path }) => {
    const message = p.json ? Buffer.from("{}") : Buffer.alloc(0);
    const before = ts.logs.length;
    const outcome = outcomeOf(await call(p, path, message, frame(1, message)));
    expect(outcome.code).toBe("invalid_argument");
    expect(outcome.message).toMatch(/compress/);
    expect(errorLogs(before)).toEqual([]);
  });

  // gRPC's status message is percent-encoded UTF-8, which a lone UTF-16
  // surrogate has none of: Connect's encoder throws on one, and the call
  // failed without a status (fast path) or with INTERNAL (Connect).
  const JSON_PROTOCOLS = WIRE_PROTOCOLS.filter((p) => p.json);
  it.each(JSON_PROTOCOLS)("a lone surrogate in a JSON value is INVALID_ARGUMENT naming where: $name", async (p) => {
    for (const json of ['{"pageSize":"\\ud800"}', '{"pageSize":1,"\\udc00":2}', '{"pageToken":"x\\ud83c"}']) {
      const before = ts.logs.length;
      const outcome = outcomeOf(await call(p, UNARY, Buffer.from(json)));
      expect(outcome.code, json).toBe("invalid_argument");
      expect(outcome.message).toMatch(/surrogate/);
      expect(errorLogs(before)).toEqual([]);
    }
    // A pair written as two escapes is one character, and welcome.
    expect(outcomeOf(await call(p, UNARY, Buffer.from('{"pageToken":"","pageSize":2}'))).code).toBe("ok");
    const named = outcomeOf(await call(p, "/membership.v1.ProjectService/CreateProject", Buffer.from('{"name":"party \\ud83c\\udf89"}')));
    expect(named.code).toBe("ok");
  });

  // A deadline is valid up to 99999999H in gRPC and 10 digits of ms in
  // Connect, but a Node timer holds at most 2^31-1 ms (24.8 days): longer,
  // and Node cut it to 1 ms and warned on stderr, so the call failed with
  // DEADLINE_EXCEEDED at once. Found by the wire fuzzer's log-line check.
  it.each(WIRE_PROTOCOLS)("a deadline longer than a timer holds is no deadline: $name", async (p) => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      for (const [header, value] of [["grpc-timeout", "99999999H"], ["grpc-timeout", "2147484S"], ["connect-timeout-ms", "9999999999"]] as const) {
        if ((header === "grpc-timeout") !== (p.family !== "connect")) continue;
        const message = p.json ? Buffer.from("{}") : Buffer.alloc(0);
        const framed = enveloped(p, false) ? frame(0, message) : message;
        const body = p.family === "grpc-web-text" ? Buffer.from(framed.toString("base64")) : framed;
        const headers = { "content-type": contentTypeOf(p, false), ...protocolHeaders(p), authorization: `Bearer ${ts.adminToken}`, [header]: value };
        expect(outcomeOf(await exchange(ts.url, { http: p.http, path: UNARY, headers, body, cancelAfterMs: 2000 })).code, `${header}: ${value}`).toBe("ok");
      }
      // The stream of the same protocol, cut short by a deadline it can hold.
      const streamBody = p.json ? Buffer.from("{}") : Buffer.alloc(0);
      const framed = frame(0, streamBody);
      const header: Record<string, string> = p.family === "connect" ? { "connect-timeout-ms": "9999999999" } : { "grpc-timeout": "99999999H" };
      const headers = { "content-type": contentTypeOf(p, true), ...protocolHeaders(p), authorization: `Bearer ${ts.adminToken}`, ...header };
      const ex = await exchange(ts.url, { http: p.http, path: STREAM, headers, body: p.family === "grpc-web-text" ? Buffer.from(framed.toString("base64")) : framed, cancelAfterMs: 300 });
      expect(outcomeOf(ex).code).toBe("stream_open");
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([]);
  });

  // A domain message that quotes the client's value cut to a length (slice)
  // may cut a 4-byte character in half, leaving a lone surrogate.
  it.each(WIRE_PROTOCOLS)("a refusal that quotes a value cut inside an emoji is still answered: $name", async (p) => {
    const role = { projectId, slug: "cut", name: "Cut", permissions: ["a" + "🎉".repeat(40)] };
    const message = p.json ? Buffer.from(JSON.stringify(role)) : Buffer.from(toBinary(CreateProjectRoleRequestSchema, create(CreateProjectRoleRequestSchema, role)));
    const before = ts.logs.length;
    const outcome = outcomeOf(await call(p, "/membership.v1.ProjectService/CreateProjectRole", message));
    expect(outcome.code).toBe("invalid_argument");
    expect(outcome.message).toMatch(/^permissions\[0\]: unknown project permission a🎉+\ufffd$/u);
    expect(errorLogs(before)).toEqual([]);
  });
});
