// Compressed requests are accepted on every protocol (gzip and br, what
// connect-node offers), and responses above the threshold are compressed
// when the client accepts it.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, createClient } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip, createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";
import { MembershipService, WatchMembershipsRequestSchema, WatchMembershipsResponseSchema } from "../../gen/membership/v1/membership_pb.js";
import { GetProjectRequestSchema, GetProjectResponseSchema, ProjectService } from "../../gen/membership/v1/project_pb.js";
import { useWorld } from "../helpers/fixtures.ts";
import { h1Request, h2Request } from "../transport/helpers.ts";
import { drain } from "../helpers/call-outcomes.ts";
import { grpcJsStream, grpcJsUnary, healthEnding, oneEventToReplay, watchEnding } from "./stream-clients.ts";

const LONG = "x".repeat(1000); // makes a GetProject response larger than the 1 KiB threshold
const w = useWorld({ per: "suite" });
let headers: Record<string, string>;
let projectId = "";
let watched: Awaited<ReturnType<typeof oneEventToReplay>>;

beforeAll(async () => {
  headers = w.admin.headers;
  projectId = (await w.c.projects.createProject({ name: "big", description: LONG }, w.admin)).project!.id;
  watched = await oneEventToReplay(w, projectId);
});

describe("@grpc/grpc-js with grpc.default_compression_algorithm = gzip", () => {
  const channel = { "grpc.default_compression_algorithm": 2 }; // grpc-js: 0 identity, 1 deflate, 2 gzip

  it("makes a unary call", async () => {
    const schemas = { input: GetProjectRequestSchema, output: GetProjectResponseSchema };
    const res = await grpcJsUnary(w.ts.url, "/membership.v1.ProjectService/GetProject", schemas, { projectId }, { metadata: headers, channel });
    expect(res.project?.description).toBe(LONG);
  });

  it("opens a stream", async () => {
    const schemas = { input: WatchMembershipsRequestSchema, output: WatchMembershipsResponseSchema };
    const metadata = { ...headers, "grpc-timeout": "1000m" };
    const res = await grpcJsStream(w.ts.url, "/membership.v1.MembershipService/WatchMemberships", schemas, watched.request, { metadata, channel });
    expect(watchEnding(res)).toEqual({ principals: [watched.replayed], code: Code.DeadlineExceeded });
  });
});

describe.each([
  { name: "Connect", make: createConnectTransport },
  { name: "gRPC-web", make: createGrpcWebTransport },
])("$name transport sending compressed requests", ({ make }) => {
  it.each([
    { algorithm: "gzip", sendCompression: compressionGzip },
    { algorithm: "br", sendCompression: compressionBrotli },
  ])("with $algorithm: a unary call and a stream", async ({ sendCompression }) => {
    // compressMinBytes 0: the client compresses even these small requests.
    const transport = make({ baseUrl: w.ts.url, httpVersion: "1.1", useBinaryFormat: true, sendCompression, compressMinBytes: 0 });
    const got = await createClient(ProjectService, transport).getProject({ projectId }, { headers });
    expect(got.project?.description).toBe(LONG);
    const watch = createClient(MembershipService, transport).watchMemberships(watched.request, { headers, timeoutMs: 1000 });
    expect(watchEnding(await drain(watch))).toEqual({ principals: [watched.replayed], code: Code.DeadlineExceeded });
    const health = createClient(Health, transport).watch({ service: "" }, { timeoutMs: 1000 });
    expect(healthEnding(await drain(health))).toEqual({ statuses: [Status.SERVING], code: Code.DeadlineExceeded });
  });
});

describe("response compression", () => {
  const getProject = (id: string, extra: Record<string, string>) =>
    h1Request(w.ts.url, {
      method: "POST",
      path: "/membership.v1.ProjectService/GetProject",
      headers: { "content-type": "application/json", ...headers, ...extra },
      body: JSON.stringify({ projectId: id }),
    });

  it("compresses a Connect response above the threshold when the client accepts gzip", async () => {
    const res = await getProject(projectId, { "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(res.body).toString()).project.description).toBe(LONG);
  });

  it("leaves small responses, and clients that accept nothing, uncompressed", async () => {
    const small = await getProject(w.projectId, { "accept-encoding": "gzip" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(small.body.toString()).project.id).toBe(w.projectId);
    const plain = await getProject(projectId, {});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(plain.body.toString()).project.description).toBe(LONG);
  });

  it("compresses a gRPC response message above the threshold when the client accepts gzip", async () => {
    const msg = Buffer.from(toBinary(GetProjectRequestSchema, create(GetProjectRequestSchema, { projectId })));
    const head = Buffer.from([0, 0, 0, 0, 0]);
    head.writeUInt32BE(msg.length, 1);
    const res = await h2Request(
      w.ts.url,
      { ":method": "POST", ":path": "/membership.v1.ProjectService/GetProject", "content-type": "application/grpc", "grpc-accept-encoding": "gzip", ...headers },
      Buffer.concat([head, msg]),
    );
    expect(res.headers["grpc-encoding"]).toBe("gzip");
    expect(res.body[0]).toBe(1); // the compressed flag of the message frame
    const payload = gunzipSync(res.body.subarray(5, 5 + res.body.readUInt32BE(1)));
    expect(fromBinary(GetProjectResponseSchema, payload).project?.description).toBe(LONG);
  });
});
