// The budget of failed authentications per client address, over a real
// server, on the fast path and through Connect. Decided: past the budget the
// address is refused for the rest of the window, valid tokens included (else
// a guesser past the budget would still learn which guess succeeded); a
// successful call spends nothing. Time moves on the server's manual clock.
import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { createGrpcJsTransport, type GrpcJsTransport } from "../helpers/grpc-js-transport.ts";
import { auth, startTestServer, type TestServer } from "../helpers/server.ts";

const BAD = "mbr_" + "x".repeat(43);

/** The seconds of the google.rpc.RetryInfo detail of an error, or undefined. */
function retryInfoSeconds(err: ConnectError): number | undefined {
  const detail = err.details.find((d) => "type" in d && d.type === "google.rpc.RetryInfo") as { value: Uint8Array } | undefined;
  if (!detail) return undefined;
  const outer = new BinaryReader(detail.value);
  expect(outer.tag()[0]).toBe(1); // retry_delay
  return Number(fromBinary(DurationSchema, outer.bytes()).seconds);
}

describe.each([
  { path: "fast path", fastPath: true },
  { path: "Connect", fastPath: false },
])("failed authentications over the $path", ({ fastPath }) => {
  let s: TestServer;
  let grpcJs: GrpcJsTransport;
  beforeEach(async () => {
    s = await startTestServer({ authFailBudget: 3, authFailWindowMs: 60_000, clockAt: Date.UTC(2026, 0, 1), fastPath });
    grpcJs = createGrpcJsTransport(s.url);
  });
  afterEach(async () => {
    grpcJs.close();
    await s.close();
  });

  const json = () => createConnectTransport({ baseUrl: s.url, httpVersion: "1.1", useBinaryFormat: false });
  const codeOf = (p: Promise<unknown>) => p.then(() => Code[0], (e: unknown) => Code[ConnectError.from(e).code]);
  const errOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => ConnectError.from(e));

  it("refuses the 4th bad token from an address with RESOURCE_EXHAUSTED and a retry-after trailer (grpc-js)", async () => {
    const users = createClient(UserService, grpcJs);
    const getAdmin = (token: string) => users.getUser({ userId: s.adminUserId }, auth(token));
    for (let i = 0; i < 3; i++) expect(await codeOf(getAdmin(BAD))).toBe("Unauthenticated");
    const err = await errOf(getAdmin(BAD));
    expect(err?.code).toBe(Code.ResourceExhausted);
    expect(err?.rawMessage).toMatch(/retry after 60 s/);
    expect(err?.rawMessage).not.toContain(BAD);
    expect(err?.metadata.get("retry-after")).toBe("60");
    // Blocked means blocked: a valid token from the address is refused too, before it is looked at.
    expect(await codeOf(getAdmin(s.adminToken))).toBe("ResourceExhausted");
    // A window later the address is welcome again, and has a fresh budget.
    s.clock!.advance(60_000);
    expect((await getAdmin(s.adminToken)).user?.id).toBe(s.adminUserId);
    expect(await codeOf(getAdmin(BAD))).toBe("Unauthenticated");
  });

  it("gives the remaining time over Connect JSON: message, retry-after header and google.rpc.RetryInfo", async () => {
    const users = createClient(UserService, json());
    for (let i = 0; i < 3; i++) expect(await codeOf(users.getUser({ userId: s.adminUserId }, auth(BAD)))).toBe("Unauthenticated");
    s.clock!.advance(15_000);
    const err = (await errOf(users.getUser({ userId: s.adminUserId }, auth(s.adminToken))))!;
    expect(err.code).toBe(Code.ResourceExhausted);
    expect(err.rawMessage).toMatch(/retry after 45 s/);
    expect(err.metadata.get("retry-after")).toBe("45");
    expect(retryInfoSeconds(err)).toBe(45);
    const raw = await fetch(`${s.url}/membership.v1.UserService/GetUser`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${s.adminToken}` },
      body: JSON.stringify({ userId: s.adminUserId }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("45");
    expect(((await raw.json()) as { code: string }).code).toBe("resource_exhausted");
  });

  it("counts by the socket's address, not by headers the client writes", async () => {
    const users = createClient(UserService, json());
    for (let i = 0; i < 3; i++) {
      const spoof = { headers: { ...auth(BAD).headers, "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `198.51.100.${i}` } };
      expect(await codeOf(users.getUser({ userId: s.adminUserId }, spoof))).toBe("Unauthenticated");
    }
    expect(await codeOf(users.getUser({ userId: s.adminUserId }, auth(BAD)))).toBe("ResourceExhausted");
  });

  it("keeps another address's budget apart, over HTTP/1.1 and HTTP/2", async () => {
    const local = (localAddress?: string) => [
      createClient(UserService, createConnectTransport({ baseUrl: s.url, httpVersion: "1.1", nodeOptions: { localAddress } })),
      createClient(UserService, createConnectTransport({ baseUrl: s.url, httpVersion: "2", nodeOptions: { createConnection: (authority: URL) => connect({ host: authority.hostname, port: Number(authority.port), localAddress }) } })),
    ];
    // Failures over both HTTP versions from 127.0.0.1 spend one budget.
    const here = local();
    for (const c of [...here, here[0]!]) expect(await codeOf(c.getUser({ userId: s.adminUserId }, auth(BAD)))).toBe("Unauthenticated");
    for (const c of here) expect(await codeOf(c.getUser({ userId: s.adminUserId }, auth(s.adminToken)))).toBe("ResourceExhausted");
    // 127.0.0.2 is another client address on the same loopback interface.
    for (const there of local("127.0.0.2")) {
      expect((await there.getUser({ userId: s.adminUserId }, auth(s.adminToken))).user?.id).toBe(s.adminUserId);
      expect(await codeOf(there.getUser({ userId: s.adminUserId }, auth(BAD)))).toBe("Unauthenticated");
    }
    expect(s.logs.filter((l) => l.includes("over budget")).map((l) => JSON.parse(l).client)).toEqual(["127.0.0.1"]);
  });

  it("spends nothing on calls that authenticate", async () => {
    const users = createClient(UserService, grpcJs);
    const getAdmin = (token: string) => users.getUser({ userId: s.adminUserId }, auth(token));
    for (let i = 0; i < 2; i++) expect(await codeOf(getAdmin(BAD))).toBe("Unauthenticated");
    for (let i = 0; i < 10; i++) expect((await getAdmin(s.adminToken)).user?.id).toBe(s.adminUserId);
    // Authenticated but denied is not a failed authentication either.
    const elsewhere = auth(s.adminToken, "9999999999999999999");
    for (let i = 0; i < 5; i++) expect(await codeOf(users.getUser({ userId: s.adminUserId }, elsewhere))).toBe("PermissionDenied");
    expect(await codeOf(getAdmin(BAD))).toBe("Unauthenticated");
    expect(await codeOf(getAdmin(BAD))).toBe("ResourceExhausted");
  });

  it("refuses streams too, and keeps answering calls that need no token", async () => {
    const h2 = createConnectTransport({ baseUrl: s.url, httpVersion: "2" });
    const users = createClient(UserService, h2);
    for (let i = 0; i < 3; i++) expect(await codeOf(users.getUser({ userId: s.adminUserId }, auth(BAD)))).toBe("Unauthenticated");
    const watch = async () => {
      for await (const _ of createClient(MembershipService, h2).watchMemberships({ projectId: "1" }, auth(s.adminToken))) break;
    };
    expect(await codeOf(watch())).toBe("ResourceExhausted");
    expect((await createClient(Health, h2).check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });
});
