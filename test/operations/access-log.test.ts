// The log as an operator reads it: the real process, its stdout read back.
// One access line per RPC on every protocol and serving path, streams at
// their end; no token anywhere; an INTERNAL error with its stack.
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { compressionGzip, createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.ts";

type Line = Record<string, unknown>;

let dir = "";
let server: ServerProcess;
let token = "";
let admin: Line;

const lines = (): Line[] => server.stdout().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Line);
const accessLines = (requestId: string) => lines().filter((l) => l.msg === "rpc" && l.requestId === requestId);

/** Waits until the access line of `requestId` is out (the log is written asynchronously), then expects it alone. */
async function accessLine(requestId: string): Promise<Line> {
  for (let i = 0; i < 200 && accessLines(requestId).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  const found = accessLines(requestId);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const headers = (requestId: string, bearer = token) => ({ "x-request-id": requestId, authorization: `Bearer ${bearer}` });
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => ConnectError.from(e).code);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "access-log-"));
  server = await startServerProcess(["--port", "0", "--db", join(dir, "m.db"), "--log-level", "info"]);
  token = readFileSync(join(dir, "m.db.admin-token"), "utf8").trim();
  admin = lines().find((l) => l.msg === "bootstrapped an empty database")!;
});
afterAll(async () => {
  server.child.kill("SIGTERM");
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe("the process's output", () => {
  it("is JSON lines on stdout, the startup lines included, and nothing on stderr", () => {
    const all = lines();
    expect(all.map((l) => l.msg)).toEqual(expect.arrayContaining([`membership server listening on ${server.url}`, expect.stringMatching(/^Bootstrap token .* written to /)]));
    expect(all.every((l) => typeof l.level === "string" && typeof l.time === "number")).toBe(true);
    expect(server.stderr()).toBe("");
  });
});

describe("one access line per RPC", () => {
  let projectId = "";

  it("over gRPC (HTTP/2, fast path): who called, in which organization, and the outcome", async () => {
    const client = createClient(ProjectService, createGrpcTransport({ baseUrl: server.url }));
    projectId = (await client.createProject({ name: "logged" }, { headers: headers("grpc-create") })).project!.id;
    const line = await accessLine("grpc-create");
    expect(line).toMatchObject({
      level: "info",
      procedure: "membership.v1.ProjectService/CreateProject",
      protocol: "grpc",
      httpVersion: "2",
      code: "OK",
      principalId: admin.adminUserId,
      orgId: admin.organizationId,
    });
    expect(line.durationMs).toEqual(expect.any(Number));
  });

  it("over Connect JSON (HTTP/1.1), with the error code", async () => {
    const client = createClient(ProjectService, createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }));
    expect(await failure(client.getProject({ projectId: "404" }, { headers: headers("connect-missing") }))).toBe(Code.NotFound);
    expect(await accessLine("connect-missing")).toMatchObject({ protocol: "connect", httpVersion: "1.1", code: "NOT_FOUND", principalId: admin.adminUserId });
  });

  it("over gRPC-web (HTTP/1.1)", async () => {
    const client = createClient(ProjectService, createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1" }));
    await client.listProjects({}, { headers: headers("grpc-web-list") });
    expect(await accessLine("grpc-web-list")).toMatchObject({ procedure: "membership.v1.ProjectService/ListProjects", protocol: "grpc-web", httpVersion: "1.1", code: "OK" });
  });

  it("through Connect's handlers (a compressed request), the same", async () => {
    const client = createClient(ProjectService, createGrpcTransport({ baseUrl: server.url, sendCompression: compressionGzip, compressMinBytes: 0 }));
    await client.listProjects({}, { headers: headers("grpc-gzip-list") });
    expect(await accessLine("grpc-gzip-list")).toMatchObject({ protocol: "grpc", httpVersion: "2", code: "OK", principalId: admin.adminUserId, orgId: admin.organizationId });
  });

  it("for a caller with a bad token: no principal, and the token is not logged", async () => {
    const client = createClient(ProjectService, createConnectTransport({ baseUrl: server.url, httpVersion: "2" }));
    expect(await failure(client.listProjects({}, { headers: headers("bad-token", "not-a-real-token-1234") }))).toBe(Code.Unauthenticated);
    expect(await accessLine("bad-token")).toMatchObject({ code: "UNAUTHENTICATED", principalId: null, orgId: null });
    expect(server.stdout()).not.toContain("not-a-real-token-1234");
  });

  it("for a stream, once it ends", async () => {
    const transport: Transport = createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1" });
    const stop = new AbortController();
    const watch = (async () => {
      for await (const _ of createClient(MembershipService, transport).watchMemberships({ projectId }, { headers: headers("watch"), signal: stop.signal }));
    })().catch(() => {});
    // A call made while the stream is open is logged before it.
    await new Promise((r) => setTimeout(r, 200));
    await createClient(ProjectService, transport).listProjects({}, { headers: headers("during-watch") });
    await accessLine("during-watch");
    stop.abort();
    await watch;
    const line = await accessLine("watch");
    expect(line).toMatchObject({ procedure: "membership.v1.MembershipService/WatchMemberships", protocol: "grpc-web", code: "CANCELLED", principalId: admin.adminUserId });
    const order = lines().map((l) => l.requestId);
    expect(order.indexOf("watch")).toBeGreaterThan(order.indexOf("during-watch"));
  });

  it("never contains the administrator's token", () => {
    expect(token.length).toBeGreaterThan(20);
    expect(server.stdout()).not.toContain(token);
  });
});

describe("an INTERNAL error", () => {
  it("is logged with its stack and the request id, and its access line says INTERNAL", async () => {
    // A fault the server cannot have foreseen: its table vanishes under it.
    const db = new Database(join(dir, "m.db"));
    db.exec("DROP TABLE projects");
    db.close();
    const client = createClient(ProjectService, createGrpcTransport({ baseUrl: server.url }));
    expect(await failure(client.listProjects({}, { headers: headers("internal") }))).toBe(Code.Internal);
    expect(await accessLine("internal")).toMatchObject({ code: "INTERNAL" });
    const errors = lines().filter((l) => l.level === "error" && l.requestId === "internal");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.stack).toMatch(/^at .*\.ts:\d+/);
  });
});
