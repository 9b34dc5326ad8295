// The server through Google's own gRPC-web runtime (npm grpc-web), the
// client a browser app would use, from a page on another origin. Text mode
// (application/grpc-web-text) is its default and goes through the edge's
// base64 translation; binary mode goes to Connect's gRPC-web handler as it
// is. The runtime streams only in text mode, so streams are tested there.
import { create, toBinary } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import {
  AddProjectMemberRequestSchema,
  CheckAccessRequestSchema,
  MembershipService,
  WatchMembershipsRequestSchema,
  WatchMembershipsResponseSchema,
} from "../../gen/membership/v1/membership_pb.js";
import { CreateProjectRequestSchema, ProjectService } from "../../gen/membership/v1/project_pb.js";
import { startWorld, type World } from "../helpers/fixtures.ts";
import { GrpcWebClient, PAGE_ORIGIN, type GrpcWebFormat, type GrpcWebStatus } from "../helpers/grpc-web-client.ts";
import type { TestServer } from "../helpers/server.ts";
import { until } from "../transport/helpers.ts";
import { oneEventToReplay, principalsOf } from "./stream-clients.ts";

const members = MembershipService.method;
const projects = ProjectService.method;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let world: World | undefined;
afterEach(async () => {
  const w = world;
  world = undefined;
  if (!w) return;
  await w.close();
  // A client that cancels, a deadline and a shutdown are all normal endings.
  expect(w.ts.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
});

async function setup(opts: { shutdownGraceMs?: number } = {}): Promise<{ ts: TestServer; w: World }> {
  world = await startWorld({ corsOrigins: [PAGE_ORIGIN], ...opts });
  return { ts: world.ts, w: world };
}

/** The response of a call that must succeed. */
function ok<T>(result: { response: T } | { status: GrpcWebStatus }): T {
  if ("status" in result) throw new Error(`expected success, got code ${result.status.code}: ${result.status.message}`);
  return result.response;
}

/** The status of a call that must fail. */
function failed(result: { response: unknown } | { status: GrpcWebStatus }): GrpcWebStatus {
  if (!("status" in result)) throw new Error("expected the call to fail, it succeeded");
  return result.status;
}

describe.each<GrpcWebFormat>(["text", "binary"])("unary calls through grpc-web in %s mode", (format) => {
  it("CreateProject, AddProjectMember and CheckAccess answer with the values the server holds", async () => {
    const { ts, w } = await setup();
    const web = new GrpcWebClient(ts.url, format);
    const admin = bearer(ts.adminToken);
    // Non-ASCII and spaces in a string field: the body must survive both encodings byte for byte.
    const name = `grpc-web ${format} projekt ü €`;
    const request = create(CreateProjectRequestSchema, { name, description: "made by Google's client" });
    const project = ok(await web.unary(projects.createProject, request, admin)).project!;
    expect(project).toMatchObject({ name, description: "made by Google's client", organizationId: ts.orgId });
    expect((await w.c.projects.getProject({ projectId: project.id }, w.admin)).project!.name).toBe(name);

    const user = await w.newUser();
    const check = create(CheckAccessRequestSchema, { projectId: project.id, permission: "project.read" });
    // The authorization metadata names the caller: the user, not the admin, is checked.
    expect(ok(await web.unary(members.checkAccess, check, bearer(user.token)))).toMatchObject({ allowed: false, roles: [] });

    const add = create(AddProjectMemberRequestSchema, { projectId: project.id, userId: user.id, roles: ["viewer"] });
    const added = ok(await web.unary(members.addProjectMember, add, admin)).details!;
    expect(added.resourceOwner).toBe(ts.orgId);
    expect(added.sequence).toBeGreaterThan(0n);

    const access = ok(await web.unary(members.checkAccess, check, bearer(user.token)));
    expect(access.allowed).toBe(true);
    expect(access.roles.map((r) => [r.role, r.permissions])).toEqual([["viewer", ["project.read", "project.role.read"]]]);
    const write = create(CheckAccessRequestSchema, { projectId: project.id, permission: "project.write" });
    expect(ok(await web.unary(members.checkAccess, write, bearer(user.token))).allowed).toBe(false);
  });

  it("errors arrive with their code and a message that reads exactly as the server wrote it", async () => {
    const { ts } = await setup();
    const web = new GrpcWebClient(ts.url, format);
    const checkIn = (projectId: string) => create(CheckAccessRequestSchema, { projectId, permission: "project.read" });
    const notFound = failed(await web.unary(members.checkAccess, checkIn("123"), bearer(ts.adminToken)));
    expect(notFound).toEqual({ code: 5, message: "project 123 not found" });
    // Characters grpc-message has to percent-encode ("%", non-ASCII) next to ones it must leave alone (spaces, ":").
    const odd = "x: 100% ü";
    expect(failed(await web.unary(members.checkAccess, checkIn(odd), bearer(ts.adminToken)))).toEqual({ code: 5, message: `project ${odd} not found` });

    expect(failed(await web.unary(members.checkAccess, checkIn("123"))).code).toBe(16);
    expect(failed(await web.unary(members.checkAccess, checkIn("123"), bearer("not-a-token"))).code).toBe(16);
  });
});

describe("WatchMemberships through grpc-web in text mode", () => {
  it("delivers each event when it happens, before the next change is made", async () => {
    const { ts, w } = await setup();
    const web = new GrpcWebClient(ts.url, "text");
    const watch = web.serverStream(
      members.watchMemberships,
      create(WatchMembershipsRequestSchema, { projectId: w.projectId }),
      bearer(ts.adminToken),
    );
    const added: string[] = [];
    // Different roles make events of different sizes (checked at the end).
    for (const roles of [[], ["viewer"], ["member", "viewer"], ["admin"], ["no-access"]]) {
      const user = await w.newUser();
      await w.c.members.addProjectMember({ projectId: w.projectId, userId: user.id, roles }, w.admin);
      added.push(user.id);
      // Not a speed bound: a late event only arrives with the next change, which never comes while this waits.
      await until(() => watch.messages.length === added.length, 5000);
    }
    watch.cancel();
    expect(watch.messages.map((m) => m.event!.after!["principalId"])).toEqual(added);
    // The test can only catch an encoder that holds back a partial base64 group
    // if some frame (5 header bytes + message) is not a multiple of 3 bytes.
    const frameSizes = watch.messages.map((m) => 5 + toBinary(WatchMembershipsResponseSchema, m).length);
    expect(frameSizes.some((n) => n % 3 !== 0)).toBe(true);
  });

  /** A watch request that replays one event, `replayed` joining (see oneEventToReplay), as Google's client sends it. */
  async function replayOne(w: World) {
    const { request, replayed } = await oneEventToReplay(w);
    return { request: create(WatchMembershipsRequestSchema, request), replayed };
  }

  it("ends with DEADLINE_EXCEEDED from the server when the deadline metadata passes", async () => {
    const { ts, w } = await setup();
    const web = new GrpcWebClient(ts.url, "text");
    // grpc-web turns the deadline metadata into grpc-timeout and also aborts
    // by itself after max(1 s, 1.1 × the timeout) with "Request timed out";
    // the server's own message shows that the server ended the stream first.
    const deadline = String(Date.now() + 300);
    const { request, replayed } = await replayOne(w);
    const { messages, status } = await web.serverStream(members.watchMemberships, request, { ...bearer(ts.adminToken), deadline }).ended;
    expect(principalsOf(messages)).toEqual([replayed]);
    expect(status).toEqual({ code: 4, message: "deadline exceeded" });
  });

  it("ends with UNAVAILABLE when the server shuts down", async () => {
    // A grace period longer than the test timeout: close() must end the stream, not wait it out.
    const { ts: server, w } = await setup({ shutdownGraceMs: 60_000 });
    const web = new GrpcWebClient(server.url, "text");
    const { request, replayed } = await replayOne(w);
    const watch = web.serverStream(members.watchMemberships, request, bearer(server.adminToken));
    await until(() => watch.messages.length === 1, 5000);
    world = undefined; // closed here, not by afterEach
    await w.close();
    const { messages, status } = await watch.ended;
    expect(principalsOf(messages)).toEqual([replayed]);
    expect(status.code).toBe(14);
    expect(server.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
