// Building a request message from body, query and path, and reading the
// bindings off the generated descriptors, on the real messages of the API.
import { create, type DescMessage } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { HttpRuleSchema } from "../../gen/google/api/http_pb.js";
import { ListAuditEventsRequestSchema } from "../../gen/membership/v1/audit_pb.js";
import { MembershipStatus, PrincipalType } from "../../gen/membership/v1/common_pb.js";
import { AddProjectMemberRequestSchema, ListMembershipsRequestSchema, MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { UpdateProjectRoleRequestSchema } from "../../gen/membership/v1/project_pb.js";
import { TokenService } from "../../gen/membership/v1/token_pb.js";
import { ManagementService } from "../../gen/zitadel/management_pb.js";
import { httpBindings } from "../../src/edge/rest/http-rules.ts";
import { TemplateError } from "../../src/edge/rest/path-template.ts";
import { buildRequest, type BodyRule } from "../../src/edge/rest/request-message.ts";
import { responseJson } from "../../src/edge/rest/rest-handler.ts";
import { DomainError } from "../../src/kernel/errors.ts";

const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));

function build(desc: DescMessage, body: BodyRule, o: { body?: unknown; path?: Record<string, string>; query?: string }, ignoreUnknown?: boolean) {
  const parts = {
    body: o.body === undefined ? new Uint8Array(0) : enc(o.body),
    pathValues: new Map(Object.entries(o.path ?? {})),
    query: new URLSearchParams(o.query ?? ""),
  };
  return buildRequest(desc, body, parts, ignoreUnknown) as never;
}

/** The message of a client fault, which must be an invalid_argument DomainError. */
function faultOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("invalid_argument");
    return (err as DomainError).message;
  }
  throw new Error("expected a client fault");
}

const ALL: BodyRule = { kind: "all" };
const NONE: BodyRule = { kind: "none" };

describe("buildRequest", () => {
  it("takes the whole body for body \"*\", with the path variables winning over it", () => {
    const m = build(AddProjectMemberRequestSchema, ALL, { body: { projectId: "body", userId: "u1", roles: ["viewer"] }, path: { project_id: "p1" } });
    expect(m).toMatchObject({ projectId: "p1", userId: "u1", roles: ["viewer"] });
  });

  it("takes an empty body as an empty message", () => {
    expect(build(AddProjectMemberRequestSchema, ALL, { path: { project_id: "p1" } })).toMatchObject({ projectId: "p1", userId: "", roles: [] });
  });

  it("ignores the body and the query's absence when the binding has no body", () => {
    const m = build(ListMembershipsRequestSchema, NONE, { body: "not json at all", path: { project_id: "p1" } });
    expect(m).toMatchObject({ projectId: "p1", pageSize: 0 });
  });

  it("reads query parameters: repeated, nested by dots, enums by name or number, proto or JSON names", () => {
    const m = build(ListMembershipsRequestSchema, NONE, {
      path: { project_id: "p1" },
      query: "pageSize=7&page_token=t&filter.statuses=MEMBERSHIP_STATUS_SUSPENDED&filter.statuses=1&filter.principalType=2&filter.email_prefix=ad",
    });
    expect(m).toMatchObject({
      projectId: "p1",
      pageSize: 7,
      pageToken: "t",
      filter: { statuses: [MembershipStatus.SUSPENDED, MembershipStatus.ACTIVE], principalType: PrincipalType.IDENTITY, emailPrefix: "ad" },
    });
  });

  it("reads an RFC 3339 timestamp from the query", () => {
    const m = build(ListAuditEventsRequestSchema, NONE, { query: "start_time=2024-05-06T07:08:09.5Z" });
    expect(timestampDate((m as { startTime: never }).startTime).toISOString()).toBe("2024-05-06T07:08:09.500Z");
  });

  it("puts a named body field's body under that field, and takes the other fields from the query", () => {
    const body: BodyRule = { kind: "field", field: UpdateProjectRoleRequestSchema.field.permissions! };
    const m = build(UpdateProjectRoleRequestSchema, body, { body: { permissions: ["project.read"] }, path: { project_id: "p1", role_id: "r1" }, query: "name=Readers" });
    expect(m).toMatchObject({ projectId: "p1", roleId: "r1", name: "Readers", permissions: { permissions: ["project.read"] } });
  });

  it.each([
    ["an unknown query parameter", NONE, { query: "nope=1" }, "query parameter nope"],
    ["a number that is not one", NONE, { query: "page_size=ten" }, "query parameter page_size"],
    ["an unknown enum name", NONE, { query: "filter.statuses=ALIVE" }, "query parameter filter.statuses"],
    ["a singular field given twice", NONE, { query: "page_size=1&page_size=2" }, "query parameter page_size"],
    ["a message set as a whole from the query", NONE, { query: "filter=x" }, "query parameter filter"],
    ["a body that is not JSON", ALL, { body: "{" }, "request body"],
    ["a body with an unknown field", ALL, { body: { project_id: "p", colour: "red" } }, "request body"],
    ["a body of the wrong shape", ALL, { body: [1, 2] }, "request body"],
    ["a body that is not UTF-8", ALL, { body: "\"\udc80\"" }, "request body"],
  ])("refuses %s, naming where it came from", (_what, rule, o, where) => {
    expect(faultOf(() => build(ListMembershipsRequestSchema, rule as BodyRule, o))).toMatch(new RegExp(`^${where}: `));
  });

  it("drops unknown names when asked to, as ZITADEL's gateway does, and still refuses a value of the wrong type", () => {
    const fromQuery = build(ListMembershipsRequestSchema, NONE, { path: { project_id: "p" }, query: "nope=1&filter.colour=red&page_size=5" }, true);
    expect(fromQuery).toMatchObject({ projectId: "p", pageSize: 5 });
    const fromBody = build(ListMembershipsRequestSchema, ALL, { body: { project_id: "p", colour: "red", filter: { statuses: ["ALIVE"] } } }, true);
    expect(fromBody).toMatchObject({ projectId: "p", filter: { statuses: [] } });
    expect(faultOf(() => build(ListMembershipsRequestSchema, ALL, { body: { project_id: 7 } }, true))).toMatch(/^request body: /);
  });

  it("refuses a query parameter for the field the body carries", () => {
    const body: BodyRule = { kind: "field", field: UpdateProjectRoleRequestSchema.field.permissions! };
    expect(faultOf(() => build(UpdateProjectRoleRequestSchema, body, { body: {}, query: "permissions.permissions=x" }))).toMatch(/^query parameter permissions/);
  });
});

describe("httpBindings", () => {
  const paths = (m: Parameters<typeof httpBindings>[0], base?: string) => httpBindings(m, base).map((b) => `${b.httpMethod} ${b.template.source}`);

  it("reads the annotation and its additional bindings from the generated descriptors", () => {
    expect(paths(OrganizationService.method.removeOrganizationMember)).toEqual([
      "DELETE /v1/organization/members/users/{user_id}",
      "DELETE /v1/organization/members/identities/{identity_id}",
    ]);
    expect(paths(TokenService.method.revokeToken)).toEqual(["POST /v1/tokens/{token_id}:revoke"]);
  });

  it("mounts an API under its base path, keeping ZITADEL's own templates", () => {
    expect(paths(ManagementService.method.updateProjectMember, "/management/v1")).toEqual(["PUT /management/v1/projects/{project_id}/members/{user_id}"]);
    const [search] = httpBindings(ManagementService.method.listProjectMemberRoles);
    expect(search!.body).toEqual({ kind: "none" });
  });

  it("gives none for an RPC without an annotation (a stream)", () => {
    expect(httpBindings(MembershipService.method.watchMemberships)).toEqual([]);
  });

  it.each([
    ["a variable naming a repeated field", { pattern: { case: "get", value: "/x/{roles}" } }],
    ["a variable naming no field", { pattern: { case: "get", value: "/x/{nope}" } }],
    ["a body naming no field", { pattern: { case: "post", value: "/x" }, body: "nope" }],
    ["a response body naming no field", { pattern: { case: "post", value: "/x" }, responseBody: "nope" }],
    ["a template that does not parse", { pattern: { case: "get", value: "x" } }],
  ])("refuses at startup %s", (_what, rule) => {
    const r = create(HttpRuleSchema, rule as never);
    expect(() => httpBindings(MembershipService.method.addProjectMember, "", r)).toThrow(TemplateError);
  });

  it("answers only the field a response_body names, in proto3 JSON", () => {
    const r = create(HttpRuleSchema, { pattern: { case: "post", value: "/x/{project_id}" }, body: "*", responseBody: "details" });
    const [binding] = httpBindings(MembershipService.method.addProjectMember, "", r);
    const out = { details: { sequence: 12n, resourceOwner: "o1" } };
    expect(responseJson(MembershipService.method.addProjectMember.output, binding!, out, { alwaysEmitImplicit: true })).toEqual({ sequence: "12", resourceOwner: "o1" });
    const whole = httpBindings(MembershipService.method.addProjectMember)[0]!;
    expect(responseJson(MembershipService.method.addProjectMember.output, whole, out, {})).toEqual({ details: { sequence: "12", resourceOwner: "o1" } });
  });

  it("reads a custom method's kind as the HTTP method", () => {
    const r = create(HttpRuleSchema, { pattern: { case: "custom", value: { kind: "head", path: "/x/{project_id}" } } });
    expect(httpBindings(MembershipService.method.addProjectMember, "", r).map((b) => b.httpMethod)).toEqual(["HEAD"]);
  });
});
