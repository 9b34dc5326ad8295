// ZITADEL's ListProjectMembers and ListProjectMemberRoles, called with
// ZITADEL's own published client code over the three protocols it serves.
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { SearchQuerySchema, type SearchQuery } from "@zitadel/proto/zitadel/member_pb.js";
import { TextQueryMethod } from "@zitadel/proto/zitadel/object_pb.js";
import { beforeAll, describe, expect, it } from "vitest";
import { useWorld } from "../helpers/fixtures.ts";
import { ZITADEL_PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { expectZitadelError, zitadelClients } from "../helpers/zitadel-client.ts";

/** Four users whose names and emails tell every text query method apart. */
const PEOPLE = {
  alice: { firstName: "Alice", lastName: "Anders", email: "alice@example.com" },
  alicia: { firstName: "alicia", lastName: "Smith", email: "Alicia.Smith@Example.org" },
  malice: { firstName: "Malice", lastName: "anderson", email: "malice@corp.example.com" },
  brice: { firstName: "BRICE", lastName: "SMITHERS", email: "brice@EXAMPLE.COM" },
};
type Person = keyof typeof PEOPLE;
const ADDED_IN_ORDER: Person[] = ["alice", "alicia", "malice", "brice"];

type Field = "firstName" | "lastName" | "email";
const M = TextQueryMethod;
/** [field, method, value, who matches] */
const TEXT_CASES: [Field, TextQueryMethod, string, Person[]][] = [
  ["firstName", M.EQUALS, "Alice", ["alice"]],
  ["firstName", M.EQUALS_IGNORE_CASE, "alice", ["alice"]],
  ["firstName", M.STARTS_WITH, "Ali", ["alice"]],
  ["firstName", M.STARTS_WITH_IGNORE_CASE, "ali", ["alice", "alicia"]],
  ["firstName", M.CONTAINS, "ali", ["alicia", "malice"]],
  ["firstName", M.CONTAINS_IGNORE_CASE, "ALI", ["alice", "alicia", "malice"]],
  ["firstName", M.ENDS_WITH, "ice", ["alice", "malice"]],
  ["firstName", M.ENDS_WITH_IGNORE_CASE, "ice", ["alice", "malice", "brice"]],
  ["lastName", M.EQUALS, "Smith", ["alicia"]],
  ["lastName", M.EQUALS_IGNORE_CASE, "anders", ["alice"]],
  ["lastName", M.STARTS_WITH, "Smith", ["alicia"]],
  ["lastName", M.STARTS_WITH_IGNORE_CASE, "smith", ["alicia", "brice"]],
  ["lastName", M.CONTAINS, "MITH", ["brice"]],
  ["lastName", M.CONTAINS_IGNORE_CASE, "mith", ["alicia", "brice"]],
  ["lastName", M.ENDS_WITH, "ers", ["alice"]],
  ["lastName", M.ENDS_WITH_IGNORE_CASE, "ERS", ["alice", "brice"]],
  ["email", M.EQUALS, "alice@example.com", ["alice"]],
  ["email", M.EQUALS_IGNORE_CASE, "BRICE@example.com", ["brice"]],
  ["email", M.STARTS_WITH, "alic", ["alice"]],
  ["email", M.STARTS_WITH_IGNORE_CASE, "alic", ["alice", "alicia"]],
  ["email", M.CONTAINS, "example.com", ["alice", "malice"]],
  ["email", M.CONTAINS_IGNORE_CASE, "example.com", ["alice", "malice", "brice"]],
  ["email", M.ENDS_WITH, ".COM", ["brice"]],
  ["email", M.ENDS_WITH_IGNORE_CASE, ".com", ["alice", "malice", "brice"]],
];

function textQuery(field: Field, method: TextQueryMethod, value: string): SearchQuery {
  switch (field) {
    case "firstName":
      return create(SearchQuerySchema, { query: { case: "firstNameQuery", value: { firstName: value, method } } });
    case "lastName":
      return create(SearchQuerySchema, { query: { case: "lastNameQuery", value: { lastName: value, method } } });
    case "email":
      return create(SearchQuerySchema, { query: { case: "emailQuery", value: { email: value, method } } });
  }
}

describe.each(ZITADEL_PROTOCOLS)("ListProjectMembers over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite" }, zitadelClients);
  let projectId: string;
  const ids = {} as Record<Person, string>;
  const who = (userIds: string[]) => userIds.map((id) => ADDED_IN_ORDER.find((p) => ids[p] === id) ?? id);

  beforeAll(async () => {
    projectId = await w.newProject();
    for (const p of ADDED_IN_ORDER) {
      ids[p] = (await w.newUser(PEOPLE[p])).id;
      await w.z.addProjectMember({ projectId, userId: ids[p], roles: ["PROJECT_OWNER_VIEWER"] });
    }
  });

  it("ListProjectMemberRoles returns the PROJECT_* member roles", async () => {
    const { result } = await w.z.listProjectMemberRoles({});
    expect([...result].sort()).toEqual(["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL", "PROJECT_OWNER_VIEWER", "PROJECT_OWNER_VIEWER_GLOBAL"]);
  });

  it("lists each member with roles, names and email", async () => {
    const { result } = await w.z.listProjectMembers({ projectId, query: { asc: true } });
    const [first] = result;
    expect(first).toMatchObject({ userId: ids.alice, roles: ["PROJECT_OWNER_VIEWER"], ...PEOPLE.alice });
  });

  it("query.asc lists the oldest member first, and the newest first otherwise", async () => {
    const asc = await w.z.listProjectMembers({ projectId, query: { asc: true } });
    expect(who(asc.result.map((r) => r.userId))).toEqual(ADDED_IN_ORDER);
    const desc = await w.z.listProjectMembers({ projectId, query: { asc: false } });
    expect(who(desc.result.map((r) => r.userId))).toEqual([...ADDED_IN_ORDER].reverse());
  });

  it("query.offset and query.limit select a page; total_result counts every match", async () => {
    const page = await w.z.listProjectMembers({ projectId, query: { offset: 1n, limit: 2, asc: true } });
    expect(who(page.result.map((r) => r.userId))).toEqual(["alicia", "malice"]);
    expect(page.details?.totalResult).toBe(4n);
    const past = await w.z.listProjectMembers({ projectId, query: { offset: 10n, limit: 2, asc: true } });
    expect(past.result).toEqual([]);
    expect(past.details?.totalResult).toBe(4n);
  });

  const cases = TEXT_CASES.map(([field, method, value, expected]) => ({ field, name: M[method], method, value, expected }));
  it.each(cases)("$field $name $value", async ({ field, method, value, expected }) => {
    const res = await w.z.listProjectMembers({ projectId, query: { asc: true }, queries: [textQuery(field, method, value)] });
    expect(who(res.result.map((r) => r.userId))).toEqual(expected);
    expect(res.details?.totalResult).toBe(BigInt(expected.length));
  });

  it("user_id_query selects that member", async () => {
    const queries = [create(SearchQuerySchema, { query: { case: "userIdQuery", value: { userId: ids.malice } } })];
    const res = await w.z.listProjectMembers({ projectId, queries });
    expect(who(res.result.map((r) => r.userId))).toEqual(["malice"]);
  });

  it("several queries must all match", async () => {
    const queries = [textQuery("firstName", M.STARTS_WITH_IGNORE_CASE, "ali"), textQuery("lastName", M.CONTAINS_IGNORE_CASE, "smith")];
    const res = await w.z.listProjectMembers({ projectId, queries });
    expect(who(res.result.map((r) => r.userId))).toEqual(["alicia"]);
    expect(res.details?.totalResult).toBe(1n);
  });

  it("total_result counts all matches of the queries, not just the page", async () => {
    const queries = [textQuery("email", M.CONTAINS_IGNORE_CASE, "example")];
    const res = await w.z.listProjectMembers({ projectId, query: { limit: 1 }, queries });
    expect(res.result).toHaveLength(1);
    expect(res.details?.totalResult).toBe(4n);
  });

  it("processed_sequence is the latest audit sequence and view_timestamp is now", async () => {
    const { details: written } = await w.z.updateProjectMember({ projectId, userId: ids.brice, roles: ["PROJECT_OWNER"] });
    const { details } = await w.z.listProjectMembers({ projectId });
    expect(details?.processedSequence).toBe(written?.sequence);
    const viewedAt = Number(details!.viewTimestamp!.seconds) * 1000;
    expect(Math.abs(viewedAt - Date.now())).toBeLessThan(60_000);
  });

  it("accepts query strings of 200 characters and rejects 201 with INVALID_ARGUMENT", async () => {
    for (const field of ["firstName", "lastName", "email"] as const) {
      const ok = await w.z.listProjectMembers({ projectId, queries: [textQuery(field, M.EQUALS, "x".repeat(200))] });
      expect(ok.result).toEqual([]);
      const tooLong = w.z.listProjectMembers({ projectId, queries: [textQuery(field, M.EQUALS, "x".repeat(201))] });
      await expectZitadelError(tooLong, Code.InvalidArgument);
    }
  });

  it("rejects a project_id of 201 characters with INVALID_ARGUMENT", async () => {
    await expectZitadelError(w.z.listProjectMembers({ projectId: "1".repeat(201) }), Code.InvalidArgument);
  });
});
