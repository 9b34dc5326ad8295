// The unary fast path answers exactly as Connect does. Two servers share a
// clock and a story, one with the fast path on and one with it off; the same
// raw requests, good and bad, get the same status, headers that carry the
// protocol's meaning, and body bytes. Then what only the fast path does:
// deadlines, resets, limits before buffering, shutdown.
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckAccessRequestSchema } from "../../gen/membership/v1/membership_pb.js";
import { GetProjectRequestSchema } from "../../gen/membership/v1/project_pb.js";
import { createWorld } from "../helpers/fixtures.ts";
import { envelope, exchange, type Exchange, type ExchangeOptions } from "../helpers/raw-exchange.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const T0 = Date.UTC(2026, 0, 5, 12);
interface Side {
  ts: TestServer;
  projectId: string;
  token: string;
}
let on: Side;
let off: Side;

async function side(fastPath: boolean): Promise<Side> {
  const ts = await startTestServer({ clockAt: T0, fastPath });
  const w = await createWorld(ts);
  return { ts, projectId: w.projectId, token: ts.adminToken };
}
beforeAll(async () => {
  [on, off] = [await side(true), await side(false)];
});
afterAll(async () => {
  await on.ts.close();
  await off.ts.close();
});

const MISSING = "1234567890123456789";
const checkSelf = (s: Side) => create(CheckAccessRequestSchema, { projectId: s.projectId, permission: "project.read" });
const getProject = (id: string) => create(GetProjectRequestSchema, { projectId: id });
const grpc = (json = false) => ({ "content-type": json ? "application/grpc+json" : "application/grpc", te: "trailers" });
const bearer = (s: Side) => ({ authorization: `Bearer ${s.token}` });
const MS = "/membership.v1.MembershipService/CheckAccess";
const PS = "/membership.v1.ProjectService/GetProject";
const ZA = "/zitadel.management.v1.ManagementService/AddProjectMember";

type Case = [name: string, build: (s: Side) => ExchangeOptions];
const CASES: Case[] = [
  ["gRPC proto OK", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s) }, body: envelope(toBinary(CheckAccessRequestSchema, checkSelf(s))) })],
  ["gRPC proto OK with a message of dates", (s) => ({ http: 2, path: PS, headers: { ...grpc(), ...bearer(s) }, body: envelope(toBinary(GetProjectRequestSchema, getProject(s.projectId))) })],
  ["gRPC JSON OK", (s) => ({ http: 2, path: MS, headers: { ...grpc(true), ...bearer(s) }, body: envelope(Buffer.from(toJsonString(CheckAccessRequestSchema, checkSelf(s)))) })],
  ["gRPC not found", (s) => ({ http: 2, path: PS, headers: { ...grpc(), ...bearer(s) }, body: envelope(toBinary(GetProjectRequestSchema, getProject(MISSING))) })],
  ["gRPC unauthenticated", () => ({ http: 2, path: PS, headers: grpc(), body: envelope(new Uint8Array()) })],
  ["gRPC ZITADEL error details", (s) => ({ http: 2, path: ZA, headers: { ...grpc(), ...bearer(s) }, body: envelope(new Uint8Array()) })],
  ["gRPC bad timeout", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s), "grpc-timeout": "soon" }, body: envelope(new Uint8Array()) })],
  ["gRPC deadline passes before the body", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s), "grpc-timeout": "50m" }, body: envelope(toBinary(CheckAccessRequestSchema, checkSelf(s))), bodyDelayMs: 400 })],
  ["gRPC oversized message", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s) }, body: Buffer.from([0, 0, 0x50, 0, 0, 1, 2, 3]) })],
  ["gRPC two messages", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s) }, body: Buffer.concat([envelope(new Uint8Array()), envelope(new Uint8Array())]) })],
  ["gRPC no message", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s) }, body: Buffer.alloc(0) })],
  ["gRPC truncated message", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s) }, body: Buffer.from([0, 0, 0, 0, 9, 1]) })],
  ["gRPC compressed flag without an encoding", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s) }, body: envelope(new Uint8Array([1]), 1) })],
  ["gRPC malformed protobuf", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s) }, body: envelope(new Uint8Array([0x0a, 0xff, 0xff])) })],
  ["gRPC -bin metadata", (s) => ({ http: 2, path: MS, headers: { ...grpc(), ...bearer(s), "x-trace-bin": "AAECAw==" }, body: envelope(toBinary(CheckAccessRequestSchema, checkSelf(s))) })],
  ...([1, 2] as const).flatMap((http): Case[] => {
    const web = (s?: Side) => ({ "content-type": "application/grpc-web+proto", "x-grpc-web": "1", ...(s ? bearer(s) : {}) });
    return [
      [`gRPC-web h${http} OK`, (s) => ({ http, path: PS, headers: web(s), body: envelope(toBinary(GetProjectRequestSchema, getProject(s.projectId))) })],
      [`gRPC-web+json h${http} OK`, (s) => ({ http, path: MS, headers: { ...web(s), "content-type": "application/grpc-web+json" }, body: envelope(Buffer.from(toJsonString(CheckAccessRequestSchema, checkSelf(s)))) })],
      [`gRPC-web h${http} not found`, (s) => ({ http, path: PS, headers: web(s), body: envelope(toBinary(GetProjectRequestSchema, getProject(MISSING))) })],
      [`gRPC-web h${http} unauthenticated`, () => ({ http, path: PS, headers: web(), body: envelope(new Uint8Array()) })],
      [`gRPC-web h${http} ZITADEL error details`, (s) => ({ http, path: ZA, headers: web(s), body: envelope(new Uint8Array()) })],
      [`gRPC-web h${http} malformed protobuf`, (s) => ({ http, path: MS, headers: web(s), body: envelope(new Uint8Array([0x0a, 0xff, 0xff])) })],
      [`gRPC-web h${http} deadline passes before the body`, (s) => ({ http, path: MS, headers: { ...web(s), "grpc-timeout": "50m" }, body: envelope(toBinary(CheckAccessRequestSchema, checkSelf(s))), bodyDelayMs: 400 })],
    ];
  }),
  ...([1, 2] as const).flatMap((http): Case[] => [
    [`Connect JSON h${http} OK`, (s) => ({ http, path: MS, headers: { "content-type": "application/json", ...bearer(s) }, body: toJsonString(CheckAccessRequestSchema, checkSelf(s)) })],
    [`Connect proto h${http} OK`, (s) => ({ http, path: PS, headers: { "content-type": "application/proto", ...bearer(s) }, body: Buffer.from(toBinary(GetProjectRequestSchema, getProject(s.projectId))) })],
    [`Connect JSON h${http} not found`, (s) => ({ http, path: PS, headers: { "content-type": "application/json", ...bearer(s) }, body: `{"projectId":"${MISSING}"}` })],
    [`Connect JSON h${http} ZITADEL details`, (s) => ({ http, path: ZA, headers: { "content-type": "application/json", ...bearer(s) }, body: "{}" })],
    [`Connect proto h${http} malformed`, (s) => ({ http, path: MS, headers: { "content-type": "application/proto", ...bearer(s) }, body: Buffer.from([0x0a, 0xff, 0xff]) })],
    [`Connect JSON h${http} malformed`, (s) => ({ http, path: MS, headers: { "content-type": "application/json", ...bearer(s) }, body: '{"projectId":' })],
    [`Connect JSON h${http} wrong type`, (s) => ({ http, path: MS, headers: { "content-type": "application/json", ...bearer(s) }, body: '{"projectId":[1]}' })],
    [`Connect h${http} bad timeout`, (s) => ({ http, path: MS, headers: { "content-type": "application/json", ...bearer(s), "connect-timeout-ms": "-1" }, body: "{}" })],
    [`Connect h${http} deadline passes before the body`, (s) => ({ http, path: MS, headers: { "content-type": "application/json", ...bearer(s), "connect-timeout-ms": "50" }, body: toJsonString(CheckAccessRequestSchema, checkSelf(s)), bodyDelayMs: 400 })],
    [`Connect h${http} oversized body`, (s) => ({ http, path: MS, headers: { "content-type": "application/json", ...bearer(s), "content-length": "9000000" }, body: "{}", holdOpen: http === 2 })],
  ]),
];

/** What the protocol fixes: status, content type, gRPC status fields (header or trailer), encoding, body bytes. Ids differ per server. */
function meaning(x: Exchange, s: Side) {
  const all = { ...x.headers, ...x.trailers };
  // Ids, and the names the world numbers per server, differ between the two.
  const ids = (v: string) => v.replaceAll(s.projectId, "<project>").replaceAll(s.ts.orgId, "<org>").replace(/project \d+/g, "project N");
  const pick = ["content-type", "content-encoding", "grpc-encoding", "grpc-status", "grpc-message", "grpc-status-details-bin"];
  return { status: x.status, ...Object.fromEntries(pick.map((k) => [k, all[k]])), body: ids(x.body.toString("latin1")) };
}

describe("the fast path answers as Connect does", () => {
  it.each(CASES)("%s", async (_name, build) => {
    const [a, b] = [await exchange(on.ts.url, build(on)), await exchange(off.ts.url, build(off))];
    expect(meaning(a, on)).toEqual(meaning(b, off));
    expect(a.headers["x-request-id"]).toMatch(/./);
  });

  it("really takes the fast path: gRPC errors are Trailers-Only there, headers and trailers through Connect", async () => {
    const req = (s: Side): ExchangeOptions => ({ http: 2, path: PS, headers: grpc(), body: envelope(new Uint8Array()) });
    const [a, b] = [await exchange(on.ts.url, req(on)), await exchange(off.ts.url, req(off))];
    expect([a.trailersOnly, a.headers["grpc-status"]]).toEqual([true, "16"]);
    expect([b.trailersOnly, b.trailers["grpc-status"]]).toEqual([false, "16"]);
  });

  it("really takes the fast path for gRPC-web over HTTP/1.1: a sized body there, chunked through Connect", async () => {
    const req = (): ExchangeOptions => ({ http: 1, path: PS, headers: { "content-type": "application/grpc-web+proto" }, body: envelope(new Uint8Array()) });
    const [a, b] = [await exchange(on.ts.url, req()), await exchange(off.ts.url, req())];
    expect([a.headers["content-length"], a.headers["transfer-encoding"]]).toEqual([String(a.body.length), undefined]);
    expect([b.headers["content-length"], b.headers["transfer-encoding"]]).toEqual([undefined, "chunked"]);
  });
});
