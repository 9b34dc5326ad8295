// Server reflection as buf curl uses it: no --schema, so every name it
// prints and every request it encodes comes from what the server describes.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1alpha } from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { AuditService } from "../../gen/membership/v1/audit_pb.js";
import { IdentityService } from "../../gen/membership/v1/identity_pb.js";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { TokenService } from "../../gen/membership/v1/token_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { ManagementService } from "../../gen/zitadel/management_pb.js";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const BUF = resolve(import.meta.dirname, "../../node_modules/.bin/buf");
const SERVICES = [Health, ServerReflection, ServerReflectionV1alpha, AuditService, IdentityService, MembershipService, OrganizationService, ProjectService, TokenService, UserService, ManagementService];

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

/** Runs buf curl over h2c; resolves with its exit code, stdout and stderr. */
async function bufCurl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(BUF, ["curl", "--http2-prior-knowledge", ...args], { timeout: 15_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout, err: err.stderr };
  }
}

const authHeader = () => ["-H", `authorization: Bearer ${ts.adminToken}`];
const call = (protocol: string, path: string, body: unknown, extra: string[] = []) =>
  bufCurl(["--protocol", protocol, ...extra, "-d", JSON.stringify(body), `${ts.url}${path}`]);

describe("buf curl without --schema", () => {
  it.each(["grpc", "connect"])("lists every service, reflection included (%s)", async (protocol) => {
    const { code, out } = await bufCurl(["--protocol", protocol, "--list-services", ts.url]);
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual(SERVICES.map((s) => s.typeName).sort());
  });

  it("lists every method of every service", async () => {
    const { code, out } = await bufCurl(["--protocol", "grpc", "--list-methods", ts.url]);
    expect(code).toBe(0);
    const want = SERVICES.flatMap((s) => s.methods.map((m) => `${s.typeName}/${m.name}`)).sort();
    expect(out.trim().split("\n")).toEqual(want);
  });

  it("calls a native RPC over Connect and gRPC", async () => {
    const created = await call("connect", "/membership.v1.ProjectService/CreateProject", { name: "described" }, authHeader());
    expect(created.code).toBe(0);
    const id = JSON.parse(created.out).project.id as string;
    const got = await call("grpc", "/membership.v1.ProjectService/GetProject", { projectId: id }, authHeader());
    expect(got.code).toBe(0);
    expect(JSON.parse(got.out).project).toMatchObject({ id, name: "described", organizationId: ts.orgId });
  });

  it("calls ZITADEL management RPCs", async () => {
    const created = await call("connect", "/membership.v1.ProjectService/CreateProject", { name: "zitadel" }, authHeader());
    const projectId = JSON.parse(created.out).project.id as string;
    const listed = await call("grpc", "/zitadel.management.v1.ManagementService/ListProjectMembers", { projectId }, authHeader());
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out).details.processedSequence).toMatch(/^[0-9]+$/);
    // A request field that reflection described (user_id) reached the server: it names the user.
    const added = await call("grpc", "/zitadel.management.v1.ManagementService/AddProjectMember", { projectId, userId: "404", roles: ["r"] }, authHeader());
    expect(added.code).not.toBe(0);
    expect(JSON.parse(added.err)).toMatchObject({ code: "failed_precondition", message: "user 404 not found (USER-NOT-FOUND)" });
  });

  it("checks health", async () => {
    const { code, out } = await call("grpc", "/grpc.health.v1.Health/Check", {});
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ status: "SERVING" });
  });

  it("asks reflection itself: a file with its imports, then a name it does not know", async () => {
    const body = [{ fileByFilename: "membership/v1/membership.proto" }, { fileContainingSymbol: "membership.v1.NoSuchThing" }];
    const { code, out } = await bufCurl(["--protocol", "grpc", "-d", body.map((b) => JSON.stringify(b)).join("\n"), `${ts.url}/grpc.reflection.v1.ServerReflection/ServerReflectionInfo`]);
    expect(code).toBe(0);
    const answers = out.trim().split(/\n(?=\{)/).map((s) => JSON.parse(s));
    expect(answers).toHaveLength(2);
    const files = (answers[0].fileDescriptorResponse.fileDescriptorProto as string[]).map((b64) => fromBinary(FileDescriptorProtoSchema, Buffer.from(b64, "base64")));
    expect(files.map((f) => f.name)).toEqual([
      "membership/v1/membership.proto",
      "google/api/annotations.proto",
      "google/protobuf/timestamp.proto",
      "membership/v1/audit.proto",
      "membership/v1/common.proto",
      "google/api/http.proto",
      "google/protobuf/descriptor.proto",
      "google/protobuf/struct.proto",
    ]);
    // The comments come along: path [6, 0, 2, 0] is the first method of the first service.
    const comment = (path: number[]) => files[0]!.sourceCodeInfo?.location.find((l) => l.path.join() === path.join())?.leadingComments;
    expect(comment([6, 0])).toMatch(/^ MembershipService decides who belongs to which project/);
    expect(comment([6, 0, 2, 0])).toMatch(/^ AddProjectMember makes a user an ACTIVE member/);
    expect(answers[1].errorResponse).toEqual({ errorCode: 5, errorMessage: 'symbol "membership.v1.NoSuchThing" not found' });
  });
});
