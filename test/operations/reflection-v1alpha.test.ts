// grpc.reflection.v1alpha through @grpc/grpc-js, as older tools (grpcurl's
// fallback, Postman) ask: one bidirectional stream, many questions, exactly
// one answer each; files come with the imports the stream has not carried yet.
import { create, createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const protoDir = fileURLToPath(new URL("../../proto", import.meta.url));

interface Answer {
  valid_host: string;
  original_request: Record<string, unknown>;
  message_response: string;
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  list_services_response?: { service: { name: string }[] };
  all_extension_numbers_response?: { base_type_name: string; extension_number: number[] };
  error_response?: { error_code: number; error_message: string };
}

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

/** Sends every question on one stream, half-closes, and collects the answers. */
function ask(questions: Record<string, unknown>[]): Promise<Answer[]> {
  const def = loadSync("grpc/reflection/v1alpha/reflection.proto", { includeDirs: [protoDir], keepCase: true, oneofs: true, arrays: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    grpc: { reflection: { v1alpha: { ServerReflection: grpc.ServiceClientConstructor } } };
  };
  const client = new pkg.grpc.reflection.v1alpha.ServerReflection(new URL(ts.url).host, grpc.credentials.createInsecure());
  const stream = (client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<unknown, Answer> }).ServerReflectionInfo();
  const answers: Answer[] = [];
  return new Promise((resolve, reject) => {
    stream.on("data", (a: Answer) => answers.push(a));
    stream.on("error", reject);
    stream.on("end", () => {
      client.close();
      resolve(answers);
    });
    for (const q of questions) stream.write({ host: "membership.example", ...q });
    stream.end();
  });
}

const decode = (a: Answer): FileDescriptorProto[] =>
  (a.file_descriptor_response?.file_descriptor_proto ?? []).map((b) => fromBinary(FileDescriptorProtoSchema, b));
const names = (a: Answer) => decode(a).map((f) => f.name);

describe("grpc.reflection.v1alpha over @grpc/grpc-js", () => {
  let answers: Answer[];
  beforeAll(async () => {
    answers = await ask([
      { list_services: "" },
      { file_containing_symbol: "zitadel.management.v1.ManagementService.AddProjectMember" },
      { file_containing_symbol: "zitadel.v1.ErrorDetail" },
      { file_containing_symbol: "grpc.health.v1.HealthCheckResponse.ServingStatus" },
      { file_by_filename: "zitadel/object.proto" },
      { file_by_filename: "nope/nope.proto" },
      { all_extension_numbers_of_type: "membership.v1.Project" },
      { all_extension_numbers_of_type: "nope.Nope" },
      { file_containing_extension: { containing_type: "membership.v1.Project", extension_number: 100 } },
      {},
    ]);
  });

  it("answers each question once, in order, echoing it", () => {
    expect(answers).toHaveLength(10);
    expect(answers.map((a) => a.valid_host)).toEqual(Array(10).fill("membership.example"));
    expect(answers[1]!.original_request.file_containing_symbol).toBe("zitadel.management.v1.ManagementService.AddProjectMember");
  });

  it("lists every service, both reflection versions included", () => {
    const listed = answers[0]!.list_services_response!.service.map((s) => s.name);
    expect(listed).toContain("grpc.reflection.v1alpha.ServerReflection");
    expect(listed).toContain("grpc.reflection.v1.ServerReflection");
    expect(listed).toContain("zitadel.management.v1.ManagementService");
    expect(listed).toHaveLength(11);
  });

  it("gives the file of a method first, then all it imports", () => {
    expect(names(answers[1]!)).toEqual([
      "zitadel/management.proto",
      "google/api/annotations.proto",
      "zitadel/member.proto",
      "zitadel/object.proto",
      "google/api/http.proto",
      "google/protobuf/descriptor.proto",
      "zitadel/user.proto",
      "google/protobuf/timestamp.proto",
    ]);
  });

  it("finds error detail types and nested enums", () => {
    expect(names(answers[2]!)).toEqual(["zitadel/message.proto"]);
    expect(names(answers[3]!)).toEqual(["grpc/health/v1/health.proto"]);
  });

  it("does not send again the imports this stream already carried", () => {
    expect(names(answers[4]!)).toEqual(["zitadel/object.proto"]);
  });

  it("answers NOT_FOUND for unknown files, types and extensions, INVALID_ARGUMENT for an empty question", () => {
    expect(answers[5]!.error_response).toEqual({ error_code: 5, error_message: 'file "nope/nope.proto" not found' });
    expect(answers[6]!.all_extension_numbers_response).toEqual({ base_type_name: "membership.v1.Project", extension_number: [] });
    expect(answers[7]!.error_response?.error_code).toBe(5);
    expect(answers[8]!.error_response?.error_code).toBe(5);
    expect(answers[9]!.error_response?.error_code).toBe(3);
  });

  it("describes enough to rebuild the API: the files received form a complete registry", () => {
    const files = new Map(answers.flatMap(decode).map((f) => [f.name, f]));
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: [...files.values()].reverse() }));
    const method = registry.getService("zitadel.management.v1.ManagementService")?.methods.find((m) => m.name === "AddProjectMember");
    expect(method?.input.typeName).toBe("zitadel.management.v1.AddProjectMemberRequest");
    expect(registry.getMessage("zitadel.v1.ErrorDetail")?.fields.map((f) => f.name)).toEqual(["id", "message"]);
  });
});
