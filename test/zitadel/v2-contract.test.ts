// The v2beta contracts we declare in proto/zitadel/ are ZITADEL's published
// ones: every message, field (name, number, type, label, JSON name, oneof),
// enum value and RPC of our generated descriptors equals the descriptor that
// @zitadel/proto 1.3.1 ships. Options (validation, OpenAPI) are left out on
// purpose: they do not travel on the wire. The one option that shapes what
// clients send, google.api.http (the REST paths and bodies), is compared
// on its own.
import { clone, getOption, hasOption, toJson, type DescFile, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import * as zAuthz from "@zitadel/proto/zitadel/authorization/v2beta/authorization_pb.js";
import * as zAuthzService from "@zitadel/proto/zitadel/authorization/v2beta/authorization_service_pb.js";
import * as zFilter from "@zitadel/proto/zitadel/filter/v2beta/filter_pb.js";
import * as zPermService from "@zitadel/proto/zitadel/internal_permission/v2beta/internal_permission_service_pb.js";
import * as zPermQuery from "@zitadel/proto/zitadel/internal_permission/v2beta/query_pb.js";
import * as ourAuthz from "../../gen/zitadel/authorization/v2beta/authorization_pb.js";
import * as ourAuthzService from "../../gen/zitadel/authorization/v2beta/authorization_service_pb.js";
import * as ourFilter from "../../gen/zitadel/filter/v2beta/filter_pb.js";
import * as ourPermService from "../../gen/zitadel/internal_permission/v2beta/internal_permission_service_pb.js";
import * as ourPermQuery from "../../gen/zitadel/internal_permission/v2beta/query_pb.js";
import { TextQueryMethod } from "@zitadel/proto/zitadel/object_pb.js";
import { http as theirHttp } from "@zitadel/proto/google/api/annotations_pb.js";
import { HttpRuleSchema } from "@zitadel/proto/google/api/http_pb.js";
import { http as ourHttp } from "../../gen/google/api/annotations_pb.js";
import { HttpRuleSchema as OurHttpRuleSchema } from "../../gen/google/api/http_pb.js";

/** The one DescFile a generated module exports. */
function fileOf(mod: Record<string, unknown>): DescFile {
  const files = Object.entries(mod).filter(([k]) => k.startsWith("file_")).map(([, v]) => v as DescFile);
  expect(files).toHaveLength(1);
  return files[0]!;
}

/** The wire contract of a file: its descriptor without options, imports or source info. */
function wireContract(file: DescFile): unknown {
  const proto: FileDescriptorProto = clone(FileDescriptorProtoSchema, file.proto);
  const json = toJson(FileDescriptorProtoSchema, proto) as Record<string, unknown>;
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== "object") return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== "options" && k !== "sourceCodeInfo" && k !== "dependency")
        .map(([k, x]) => [k, strip(x)]),
    );
  };
  return strip(json);
}

const PAIRS = [
  ["zitadel/filter/v2beta/filter.proto", ourFilter, zFilter],
  ["zitadel/internal_permission/v2beta/query.proto", ourPermQuery, zPermQuery],
  ["zitadel/internal_permission/v2beta/internal_permission_service.proto", ourPermService, zPermService],
  ["zitadel/authorization/v2beta/authorization.proto", ourAuthz, zAuthz],
  ["zitadel/authorization/v2beta/authorization_service.proto", ourAuthzService, zAuthzService],
] as const;

describe("ZITADEL v2beta contracts", () => {
  it.each(PAIRS)("%s matches @zitadel/proto", (name, ours, theirs) => {
    const a = fileOf(ours);
    const b = fileOf(theirs);
    expect(a.name).toBe(name.replace(/\.proto$/, ""));
    expect(wireContract(a)).toEqual(wireContract(b));
  });

  it.each([
    [ourPermService.InternalPermissionService, zPermService.InternalPermissionService],
    [ourAuthzService.AuthorizationService, zAuthzService.AuthorizationService],
  ] as [DescService, DescService][])("$typeName has the REST paths and bodies of @zitadel/proto", (ours, theirs) => {
    const published = theirs.methods.map((m) => [m.name, hasOption(m, theirHttp) ? toJson(HttpRuleSchema, getOption(m, theirHttp)) : null]);
    expect(published.every(([, r]) => r !== null)).toBe(true);
    expect(ours.methods.map((m) => [m.name, hasOption(m, ourHttp) ? toJson(OurHttpRuleSchema, getOption(m, ourHttp)) : null])).toEqual(published);
  });

  it("numbers the text methods of v1 and v2beta alike, so one table maps both", () => {
    const v1 = Object.entries(TextQueryMethod).filter(([, v]) => typeof v === "number");
    const v2 = Object.entries(zFilter.TextFilterMethod).filter(([, v]) => typeof v === "number");
    expect(v1.length).toBe(8);
    expect(v2).toEqual(v1);
  });

  it("the comparison sees field numbers", () => {
    // A changed field number must be told apart, or the test above proves nothing.
    const a = clone(FileDescriptorProtoSchema, fileOf(ourAuthz).proto);
    a.messageType[0]!.field[0]!.number = 99;
    const b = fileOf(zAuthz);
    expect(wireContract({ ...fileOf(ourAuthz), proto: a } as DescFile)).not.toEqual(wireContract(b));
  });
});
