// Inputs the wire fuzzer (wire-fuzz.test.ts, scripts/fuzz-wire.ts) found the
// server answering wrongly, each pinned here on every protocol it reaches and
// with the fast path on and off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchange } from "../helpers/raw-exchange.ts";
import { frame } from "../helpers/raw-grpc-web-text-transport.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { contentTypeOf, enveloped, outcomeOf, protocolHeaders, WIRE_PROTOCOLS, type WireProtocol } from "./wire-protocols.ts";

const UNARY = "/membership.v1.ProjectService/ListProjects";
const STREAM = "/membership.v1.MembershipService/WatchMemberships";

describe.each([true, false])("fast path %s", (fastPath) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer({ fastPath });
  });
  afterAll(() => ts.close());

  /** One call with `envelope` as the body, as the protocol frames it. */
  async function call(p: WireProtocol, path: string, envelope: Buffer) {
    const streaming = path === STREAM;
    const body = p.family === "grpc-web-text" ? Buffer.from(envelope.toString("base64")) : envelope;
    const headers = { "content-type": contentTypeOf(p, streaming), ...protocolHeaders(p), authorization: `Bearer ${ts.adminToken}` };
    return outcomeOf(await exchange(ts.url, { http: p.http, path, headers, body, cancelAfterMs: 2000 }));
  }

  // The compressed flag (bit 0 of the envelope's flags) set on a request that
  // names no encoding: Connect-ES calls it INTERNAL, but only the client can
  // have got it wrong.
  const withEnvelopes = WIRE_PROTOCOLS.flatMap((p) => [UNARY, STREAM].filter((path) => enveloped(p, path === STREAM)).map((path) => ({ p, path })));
  it.each(withEnvelopes)("a compressed flag without an encoding is INVALID_ARGUMENT: $p.name $path", async ({ p, path }) => {
    const message = p.json ? Buffer.from("{}") : Buffer.alloc(0);
    const before = ts.logs.length;
    const outcome = await call(p, path, frame(1, message));
    expect(outcome.code).toBe("invalid_argument");
    expect(outcome.message).toMatch(/compress/);
    expect(ts.logs.slice(before).filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
