// What plain HTTP clients see: the HTTP status and Connect error JSON per
// error, gRPC statuses over raw HTTP/2, and that no error body or log line
// leaks SQL, stack frames, source paths or the admin token.
import { create, toBinary } from "@bufbuild/protobuf";
import * as http2 from "node:http2";
import { afterEach, describe, expect, it } from "vitest";
import { ListProjectsRequestSchema } from "../../gen/membership/v1/project_pb.js";
import { frame } from "../helpers/raw-grpc-web-text-transport.ts";
import { rawPost, type RawPostResponse } from "../helpers/raw-json-transport.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const LEAKS = [/\bSELECT\b/, /\bINSERT\b/, /sqlite/i, /(^|\n)\s*at \S/, /\/src\//, /\.ts:/, /:\d+:\d+\)/];

function expectNoLeak(text: string): void {
  for (const leak of LEAKS) expect(text, `error text matches ${leak}`).not.toMatch(leak);
}

let s: TestServer;
afterEach(async () => {
  const logs = s.logs.join("\n");
  await s.close();
  expect(logs).not.toContain(s.adminToken);
});

/** A Connect unary JSON POST; error bodies are checked for leaks on the way. */
async function post(path: string, body: unknown, token: string | null = s.adminToken, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...extra };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await rawPost(s.url, path, typeof body === "string" ? body : JSON.stringify(body), headers);
  if (res.status !== 200) expectNoLeak(res.body);
  return res;
}

const errorCode = (res: RawPostResponse) => (JSON.parse(res.body) as { code?: string }).code;
const P = "/membership.v1.ProjectService";
const U = "/membership.v1.UserService";
const M = "/membership.v1.MembershipService";

describe("Connect unary JSON over HTTP/1.1: HTTP status per error", () => {
  it("maps every error kind to its HTTP status and code", async () => {
    s = await startTestServer();
    const project = JSON.parse((await post(`${P}/CreateProject`, { name: "Apollo" })).body).project as { id: string };
    const user = JSON.parse((await post(`${U}/CreateUser`, { email: "a@example.com", firstName: "A", lastName: "B" })).body).user;
    const token = JSON.parse((await post("/membership.v1.TokenService/CreateToken", { userId: user.id })).body).secret as string;
    const org2 = JSON.parse((await post("/membership.v1.OrganizationService/CreateOrganization", { name: "Two" })).body).organization;
    const stranger = JSON.parse(
      (await post(`${U}/CreateUser`, { email: "s@example.com", firstName: "S", lastName: "T" }, s.adminToken, { "x-zitadel-orgid": org2.id }))
        .body,
    ).user;

    const invitee = JSON.parse((await post(`${U}/CreateUser`, { email: "i@example.com", firstName: "I", lastName: "J" })).body).user;
    const inviteeToken = JSON.parse((await post("/membership.v1.TokenService/CreateToken", { userId: invitee.id })).body).secret as string;
    const member = JSON.parse((await post(`${M}/InviteProjectMember`, { projectId: project.id, userId: invitee.id })).body);
    expect((await post(`${M}/AcceptProjectInvitation`, { projectId: project.id }, inviteeToken)).status).toBe(200);

    const cases: [string, Promise<RawPostResponse>, number, string][] = [
      ["no token", post(`${P}/ListProjects`, {}, null), 401, "unauthenticated"],
      ["bad token", post(`${P}/ListProjects`, {}, "mbr_nope"), 401, "unauthenticated"],
      ["no rights", post(`${P}/CreateProject`, { name: "x" }, token), 403, "permission_denied"],
      ["unknown project", post(`${P}/GetProject`, { projectId: "1234567890123456789" }), 404, "not_found"],
      ["duplicate email", post(`${U}/CreateUser`, { email: "a@example.com", firstName: "A", lastName: "B" }), 409, "already_exists"],
      ["empty name", post(`${P}/CreateProject`, { name: "" }), 400, "invalid_argument"],
      ["unknown role", post(`${M}/AddProjectMember`, { projectId: project.id, userId: user.id, roles: ["nope"] }), 400, "invalid_argument"],
      // Another organization's user answers as one that exists nowhere.
      ["other org", post(`${M}/AddProjectMember`, { projectId: project.id, userId: stranger.id, roles: ["member"] }), 404, "not_found"],
      ["resume an active membership", post(`${M}/ResumeMembership`, { membershipId: member.membership.id }), 400, "failed_precondition"],
    ];
    for (const [name, call, status, code] of cases) {
      const res = await call;
      expect({ name, status: res.status, code: errorCode(res) }).toEqual({ name, status, code });
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
    }
  });

  it("answers a body over readMaxBytes with resource_exhausted", async () => {
    s = await startTestServer({ readMaxBytes: 1024 });
    const res = await post(`${P}/CreateProject`, { name: "n".repeat(4096) });
    expect([res.status, errorCode(res)]).toEqual([429, "resource_exhausted"]);
    expect((await post(`${P}/ListProjects`, {})).status).toBe(200);
  });

  it("rejects malformed JSON, a wrong content type and unknown methods; unknown fields do not crash it", async () => {
    s = await startTestServer();
    const malformed = await post(`${P}/CreateProject`, '{"name": "x",');
    expect([malformed.status, errorCode(malformed)]).toEqual([400, "invalid_argument"]);

    const unknownField = await post(`${P}/CreateProject`, { name: "x", colour: "blue" });
    expect(unknownField.status === 200 || (unknownField.status === 400 && errorCode(unknownField) === "invalid_argument")).toBe(true);
    expect(unknownField.status).toBe(200); // connect-es servers ignore unknown JSON fields by default

    const wrongType = await post(`${P}/ListProjects`, "{}", s.adminToken, { "content-type": "text/plain" });
    expect(wrongType.status).toBe(415);

    const unknown = await post(`${P}/NoSuchMethod`, {});
    expect([unknown.status, errorCode(unknown)]).toEqual([404, "unimplemented"]);
    const unknownService = await post("/membership.v1.NoSuchService/Get", {});
    expect([unknownService.status, errorCode(unknownService)]).toEqual([404, "unimplemented"]);

    expect((await post(`${P}/ListProjects`, {})).status).toBe(200);
  });
});

interface GrpcAnswer {
  status: number;
  grpcStatus: string | undefined;
  grpcMessage: string;
}

/** One gRPC call on an open HTTP/2 session; the status comes from the trailers or a trailers-only answer. */
function grpcCall(session: http2.ClientHttp2Session, path: string, body: Buffer, token: string): Promise<GrpcAnswer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
      authorization: `Bearer ${token}`,
    });
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    stream.on("response", (h) => (headers = h));
    stream.on("trailers", (t) => (trailers = t));
    stream.on("data", () => {});
    stream.on("error", reject);
    stream.on("end", () => {
      const source = trailers["grpc-status"] !== undefined ? trailers : headers;
      const grpcMessage = decodeURIComponent(String(source["grpc-message"] ?? ""));
      resolve({ status: Number(headers[":status"]), grpcStatus: source["grpc-status"] as string | undefined, grpcMessage });
    });
    stream.end(body);
  });
}

describe("gRPC over raw HTTP/2", () => {
  it("answers a malformed protobuf body with an error status and keeps serving", async () => {
    s = await startTestServer();
    const session = http2.connect(s.url);
    try {
      const bad = await grpcCall(session, `${P}/ListProjects`, frame(0, Buffer.from([0xff, 0xff])), s.adminToken);
      expect(bad.status).toBe(200);
      expect(["3", "13"]).toContain(bad.grpcStatus);
      expectNoLeak(bad.grpcMessage);

      const ok = await grpcCall(session, `${P}/ListProjects`, frame(0, toBinary(ListProjectsRequestSchema, create(ListProjectsRequestSchema))), s.adminToken);
      expect(ok.grpcStatus).toBe("0");

      const unknown = await grpcCall(session, `${P}/NoSuchMethod`, frame(0, new Uint8Array()), s.adminToken);
      expect(unknown.grpcStatus).toBe("12");
      expectNoLeak(unknown.grpcMessage);

      const unauthenticated = await grpcCall(session, `${P}/ListProjects`, frame(0, new Uint8Array()), "mbr_nope");
      expect(unauthenticated.grpcStatus).toBe("16");
      expectNoLeak(unauthenticated.grpcMessage);
    } finally {
      session.close();
    }
  });
});
