// ListAdministrators and ListAuthorizations: each filter, and/or/not,
// sorting, paging, what the caller may see, and refused filters. The clock
// is moved by hand so that creation and change dates are known.
import { Code } from "@connectrpc/connect";
import { AuthorizationFieldName, State } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_pb.js";
import { TextFilterMethod, TimestampFilterMethod } from "@zitadel/proto/zitadel/filter/v2beta/filter_pb.js";
import { AdministratorFieldName, type AdministratorSearchFilterSchema } from "@zitadel/proto/zitadel/internal_permission/v2beta/query_pb.js";
import type { AuthorizationsSearchFilterSchema } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, it } from "vitest";
import { useWorld } from "../helpers/fixtures.ts";
import { protocol } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";
import { expectZitadelError } from "../helpers/zitadel-client.ts";
import { v2Clients } from "../helpers/zitadel-v2-client.ts";

type AF = MessageInitShape<typeof AdministratorSearchFilterSchema>["filter"];
type ZF = MessageInitShape<typeof AuthorizationsSearchFilterSchema>["filter"];

const T0 = Date.UTC(2026, 2, 1);
const at = (n: number) => T0 + n * 60_000;

const w = useWorld({ protocol: protocol("connect json http/1.1"), clockAt: T0 - 3_600_000, per: "suite" }, v2Clients);
let org: string;
let other: string;
const u: Record<string, { id: string; email: string; token: string }> = {};
const p: Record<string, string> = {};
const authz: Record<string, string> = {};

beforeAll(async () => {
  org = await w.newOrg();
  other = await w.newOrg();
  const people: [string, string, string][] = [["alice", "Alice", "Anders"], ["bob", "Bob", "Brown"], ["carol", "Carol", "Clark"], ["erin", "Erin", "Evans"]];
  for (const [key, firstName, lastName] of people) {
    u[key] = await w.newUser({ firstName, lastName, email: `${key}@example.com` }, org);
  }
  u.dave = await w.newUser({ firstName: "Dave", lastName: "Doe", email: "dave@elsewhere.example" }, other);
  p.payments = await w.c.projects.createProject({ name: "Payments" }, auth(w.ts.adminToken, org)).then((r) => r.project!.id);
  p.billing = await w.c.projects.createProject({ name: "Billing" }, auth(w.ts.adminToken, org)).then((r) => r.project!.id);
  for (const id of [p.payments, p.billing]) for (const slug of ["reader", "writer"]) await w.newRole(id, slug, org);

  const v2 = w.v2In(org);
  const onProject = (value: string) => ({ resource: { case: "projectId" as const, value } });
  const onOrg = { resource: { case: "organizationId" as const, value: org } };
  const steps: (() => Promise<unknown>)[] = [
    () => v2.perms.createAdministrator({ userId: u.alice!.id, resource: onProject(p.payments!), roles: ["PROJECT_OWNER"] }),
    () => v2.perms.createAdministrator({ userId: u.bob!.id, resource: onProject(p.payments!), roles: ["PROJECT_OWNER_VIEWER"] }),
    () => v2.perms.createAdministrator({ userId: u.carol!.id, resource: onProject(p.billing!), roles: ["PROJECT_OWNER"] }),
    () => v2.perms.createAdministrator({ userId: u.alice!.id, resource: onOrg, roles: ["ORG_OWNER_VIEWER"] }),
    () => v2.perms.createAdministrator({ userId: u.dave!.id, resource: onOrg, roles: ["ORG_USER_MANAGER"] }),
    () => v2.perms.updateAdministrator({ userId: u.bob!.id, resource: onProject(p.payments!), roles: ["PROJECT_OWNER"] }),
    async () => (authz.alice = (await v2.authz.createAuthorization({ userId: u.alice!.id, projectId: p.payments!, roleKeys: ["reader"] })).id),
    async () => (authz.bob = (await v2.authz.createAuthorization({ userId: u.bob!.id, projectId: p.billing!, roleKeys: ["writer"] })).id),
    async () => (authz.erin = (await v2.authz.createAuthorization({ userId: u.erin!.id, projectId: p.billing!, roleKeys: ["reader", "writer"] })).id),
    () => v2.authz.deactivateAuthorization({ id: authz.bob! }),
  ];
  for (const [n, step] of steps.entries()) {
    w.ts.clock!.set(at(n));
    await step();
  }
});

describe("ListAdministrators", () => {
  const list = (filters: AF[], more: { sortingColumn?: AdministratorFieldName; pagination?: { offset?: bigint; limit?: number; asc?: boolean } } = {}) =>
    w.v2In(org).perms.listAdministrators({ filters: filters.map((filter) => ({ filter })), ...more }, { headers: { "x-zitadel-orgid": org } });
  /** "alice@payments", "alice@org": who, on what. */
  const names = async (filters: AF[], more = {}) =>
    (await list(filters, more)).administrators.map((a) => {
      const who = Object.keys(u).find((k) => u[k]!.id === a.user!.id);
      const r = a.resource;
      return `${who}@${r.case === "organization" ? "org" : Object.keys(p).find((k) => r.case === "project" && p[k] === r.value.id)}`;
    });
  const time = (n: number, method: TimestampFilterMethod) => ({ timestamp: timestampFromMs(at(n)), method });

  it("lists the organization's and its projects' administrators, newest first by default, and pages", async () => {
    expect(await names([])).toEqual(["dave@org", "alice@org", "carol@billing", "bob@payments", "alice@payments"]);
    expect(await names([], { pagination: { asc: true } })).toEqual(["alice@payments", "bob@payments", "carol@billing", "alice@org", "dave@org"]);
    const page = await list([], { pagination: { offset: 1n, limit: 2, asc: true } });
    expect(page.pagination).toMatchObject({ totalResult: 5n, appliedLimit: 2n });
    expect(page.administrators.map((a) => a.user!.id)).toEqual([u.bob!.id, u.carol!.id]);
  });

  it("sorts by user id and by change date", async () => {
    const byUser = await list([], { sortingColumn: AdministratorFieldName.USER_ID, pagination: { asc: true } });
    const ids = byUser.administrators.map((a) => a.user!.id);
    expect(ids).toEqual([...ids].sort());
    // Alice's authorization on payments (step 6) changed her membership there after Bob's update (step 5).
    expect((await names([], { sortingColumn: AdministratorFieldName.CHANGE_DATE })).slice(0, 2)).toEqual(["alice@payments", "bob@payments"]);
  });

  it("filters by user, organization, names, resource, role and dates", async () => {
    const sorted = async (filters: AF[]) => (await names(filters)).sort();
    expect(await sorted([{ case: "inUserIdsFilter", value: { ids: [u.alice!.id] } }])).toEqual(["alice@org", "alice@payments"]);
    expect(await sorted([{ case: "userOrganizationId", value: { id: other } }])).toEqual(["dave@org"]);
    expect(await sorted([{ case: "userPreferredLoginName", value: { preferredLoginName: "ALICE@", method: TextFilterMethod.STARTS_WITH_IGNORE_CASE } }])).toEqual(["alice@org", "alice@payments"]);
    expect(await sorted([{ case: "userPreferredLoginName", value: { preferredLoginName: "ALICE@", method: TextFilterMethod.STARTS_WITH } }])).toEqual([]);
    expect(await sorted([{ case: "userDisplayName", value: { displayName: "Clark", method: TextFilterMethod.ENDS_WITH } }])).toEqual(["carol@billing"]);
    expect(await sorted([{ case: "resource", value: { resource: { case: "projectId", value: p.payments! } } }])).toEqual(["alice@payments", "bob@payments"]);
    expect(await sorted([{ case: "resource", value: { resource: { case: "organizationId", value: org } } }])).toEqual(["alice@org", "dave@org"]);
    expect(await sorted([{ case: "resource", value: { resource: { case: "instance", value: true } } }])).toEqual([]);
    expect(await sorted([{ case: "role", value: { roleKey: "PROJECT_OWNER" } }])).toEqual(["alice@payments", "bob@payments", "carol@billing"]);
    expect(await sorted([{ case: "creationDate", value: time(2, TimestampFilterMethod.GREATER_OR_EQUALS) }])).toEqual(["alice@org", "carol@billing", "dave@org"]);
    expect(await sorted([{ case: "creationDate", value: time(1, TimestampFilterMethod.LESS) }])).toEqual(["alice@payments"]);
    expect(await sorted([{ case: "changeDate", value: time(5, TimestampFilterMethod.EQUALS) }])).toEqual(["bob@payments"]);
  });

  it("combines filters with and, or and not", async () => {
    const role = { case: "role" as const, value: { roleKey: "PROJECT_OWNER" } };
    const payments = { case: "resource" as const, value: { resource: { case: "projectId" as const, value: p.payments! } } };
    const sorted = async (f: AF) => (await names([f])).sort();
    expect(await sorted({ case: "and", value: { queries: [{ filter: role }, { filter: payments }] } })).toEqual(["alice@payments", "bob@payments"]);
    expect(await sorted({ case: "or", value: { queries: [{ filter: { case: "inUserIdsFilter", value: { ids: [u.carol!.id] } } }, { filter: { case: "userOrganizationId", value: { id: other } } }] } })).toEqual(["carol@billing", "dave@org"]);
    expect(await sorted({ case: "not", value: { query: { filter: { case: "and", value: { queries: [{ filter: role }, { filter: payments }] } } } } })).toEqual(["alice@org", "carol@billing", "dave@org"]);
  });

  it("refuses filters it cannot evaluate, naming them", async () => {
    expect(await expectZitadelError(list([{ case: undefined }]), Code.InvalidArgument)).toBe("REQUEST-INVALID-FIELD");
    expect(await expectZitadelError(list([{ case: "not", value: {} }]), Code.InvalidArgument)).toBe("REQUEST-INVALID-FIELD");
    expect(await expectZitadelError(list([], { pagination: { limit: 1001 } }), Code.InvalidArgument)).toBe("REQUEST-INVALID-FIELD");
    const bad = await list([{ case: "userDisplayName", value: { displayName: "x", method: 99 as TextFilterMethod } }]).catch((e) => e);
    expect([bad.code, bad.rawMessage]).toEqual([Code.InvalidArgument, expect.stringMatching(/^filters\[0\]\.user_display_name\.method: /)]);
    const noTime = await list([{ case: "and", value: { queries: [{ filter: { case: "creationDate", value: {} } }] } }]).catch((e) => e);
    expect(noTime.rawMessage).toMatch(/^filters\[0\]\.and\.queries\[0\]\.creation_date\.timestamp: is required/);
  });

  it("shows a caller only what it may see: a project administrator its project, anyone its own roles", async () => {
    const asCarol = w.v2As(u.carol!.token, org).perms;
    const seen = (await asCarol.listAdministrators({})).administrators.map((a) => `${a.user!.id === u.carol!.id ? "carol" : "other"}@${a.resource.case === "project" ? a.resource.value.id : a.resource.case}`);
    expect(seen).toEqual([`carol@${p.billing}`]);
    const asErin = w.v2As(u.erin!.token, org).perms;
    expect((await asErin.listAdministrators({})).administrators).toEqual([]);
  });
});

describe("ListAuthorizations", () => {
  const list = (filters: ZF[], more: { sortingColumn?: AuthorizationFieldName; pagination?: { asc?: boolean } } = {}) =>
    w.v2In(org).authz.listAuthorizations({ filters: filters.map((filter) => ({ filter })), ...more }, { headers: { "x-zitadel-orgid": org } });
  const who = async (filters: ZF[], more = {}) =>
    (await list(filters, more)).authorizations.map((a) => Object.keys(authz).find((k) => authz[k] === a.id));

  it("lists authorizations newest first, and sorts by id, user and project", async () => {
    expect(await who([])).toEqual(["erin", "bob", "alice"]);
    const byId = await who([], { sortingColumn: AuthorizationFieldName.ID, pagination: { asc: true } });
    expect(byId).toEqual(["alice", "bob", "erin"].sort((a, b) => (authz[a]! < authz[b]! ? -1 : 1)));
    const byProject = (await list([], { sortingColumn: AuthorizationFieldName.PROJECT_ID, pagination: { asc: true } })).authorizations.map((a) => a.projectId);
    expect(byProject).toEqual([...byProject].sort());
  });

  it("filters by id, organization, state, user, names, project and role key", async () => {
    const sorted = async (f: ZF) => (await who([f])).sort();
    expect(await sorted({ case: "authorizationIds", value: { ids: [authz.bob!, "nope"] } })).toEqual(["bob"]);
    expect(await sorted({ case: "organizationId", value: { id: org } })).toEqual(["alice", "bob", "erin"]);
    expect(await sorted({ case: "state", value: { state: State.INACTIVE } })).toEqual(["bob"]);
    expect(await sorted({ case: "state", value: { state: State.ACTIVE } })).toEqual(["alice", "erin"]);
    expect(await sorted({ case: "userId", value: { id: u.erin!.id } })).toEqual(["erin"]);
    expect(await sorted({ case: "userOrganizationId", value: { id: org } })).toEqual(["alice", "bob", "erin"]);
    expect(await sorted({ case: "userPreferredLoginName", value: { loginName: "example.com", method: TextFilterMethod.ENDS_WITH } })).toEqual(["alice", "bob", "erin"]);
    expect(await sorted({ case: "userDisplayName", value: { displayName: "bob brown", method: TextFilterMethod.EQUALS_IGNORE_CASE } })).toEqual(["bob"]);
    expect(await sorted({ case: "projectId", value: { id: p.billing! } })).toEqual(["bob", "erin"]);
    expect(await sorted({ case: "projectName", value: { name: "pay", method: TextFilterMethod.CONTAINS_IGNORE_CASE } })).toEqual(["alice"]);
    expect(await sorted({ case: "roleKey", value: { key: "wri", method: TextFilterMethod.STARTS_WITH } })).toEqual(["bob", "erin"]);
    expect(await sorted({ case: "projectGrantId", value: { id: "any" } })).toEqual([]);
  });

  it("shows its role keys without the PROJECT_* roles of the same membership", async () => {
    const [alice] = (await list([{ case: "userId", value: { id: u.alice!.id } }])).authorizations;
    expect(alice?.roles).toEqual(["reader"]);
    expect(alice?.projectName).toBe("Payments");
  });

  it("refuses a state filter without a state", async () => {
    expect(await expectZitadelError(list([{ case: "state", value: { state: State.UNSPECIFIED } }]), Code.InvalidArgument)).toBe("REQUEST-INVALID-FIELD");
  });

  it("shows a caller without member rights only its own authorizations", async () => {
    const asErin = w.v2As(u.erin!.token).authz;
    expect((await asErin.listAuthorizations({})).authorizations.map((a) => a.id)).toEqual([authz.erin]);
  });
});
