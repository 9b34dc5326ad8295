// Injection strings where text searches and looks up rather than being
// stored: prefixes and text queries match literally (a "%" or "_" is no
// wildcard, a quote ends nothing), ids that exist nowhere are NOT_FOUND, an
// organization header that names none is PERMISSION_DENIED; never INTERNAL,
// and since all of it only reads, no row of the database changes.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TextQueryMethod } from "../../gen/zitadel/object_pb.js";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { INJECTION_STRINGS, LONE_SURROGATES } from "./injection-strings.ts";
import { changedRows, createWorld, ENCODINGS, outcome, snapshotRows, type World } from "./injection-world.ts";

// Emails whose characters mean something to LIKE or to SQL, and names that do.
const PEOPLE = [
  { email: "alice@example.com", firstName: "Alice", lastName: "Plain" },
  { email: "a_b@example.com", firstName: "O'Brien", lastName: "%_" },
  { email: "a%c@example.com", firstName: "Robert'); DELETE FROM memberships; --", lastName: "back\\slash" },
  { email: "back\\slash@example.com", firstName: "Ünïcödé", lastName: "rtl\u202egnp" },
  { email: "x'y@example.com", firstName: "emoji 🎉", lastName: "'; DROP TABLE users; --" },
];
const PROBES = [...INJECTION_STRINGS, ...LONE_SURROGATES, "a_", "a%", "a\\", "x'", "O'", "ALICE", "🎉", "\\", "'"];

let ts: TestServer;
let w: World;
let rowsBefore: ReturnType<typeof snapshotRows>;
const members: { id: string; email: string; firstName: string; lastName: string }[] = [];
beforeAll(async () => {
  ts = await startTestServer({ file: true });
  w = await createWorld(ts, ENCODINGS[0]!); // JSON, which carries every probe as written
  for (const p of PEOPLE) {
    const user = (await w.c.users.createUser(p, w.as)).user!;
    await w.c.members.addProjectMember({ projectId: w.projectId, userId: user.id, roles: ["viewer"] }, w.as);
    members.push({ id: user.id, ...p });
  }
  rowsBefore = snapshotRows(ts.dbPath);
});
afterAll(() => ts.close());

const LONE = /\p{Cs}/u;
/** A probe with a lone surrogate is refused as JSON text; any other is matched literally. */
function expectRefusedOnlyIfLone(probe: string, r: { code: string; message: string }) {
  expect(r.code, `${JSON.stringify(probe)}: ${r.message}`).toBe(LONE.test(probe) ? "invalid_argument" : "ok");
}

describe("prefixes match literally", () => {
  it("ListUsers email_prefix", async () => {
    const all = (await w.c.users.listUsers({ pageSize: 1000 }, w.as)).users.map((u) => u.email);
    for (const probe of PROBES) {
      let got: string[] = [];
      const r = await outcome(w.c.users.listUsers({ emailPrefix: probe, pageSize: 1000 }, w.as).then((res) => (got = res.users.map((u) => u.email))));
      expectRefusedOnlyIfLone(probe, r);
      if (r.code === "ok") expect(got.sort(), probe).toEqual(all.filter((e) => e.toLowerCase().startsWith(probe.toLowerCase())).sort());
    }
  });

  it("ListMemberships filter.email_prefix and filter.role", async () => {
    for (const probe of PROBES) {
      let got: string[] = [];
      const list = (filter: { emailPrefix?: string; role?: string }) =>
        w.c.members.listMemberships({ projectId: w.projectId, filter, pageSize: 1000 }, w.as).then((res) => (got = res.memberships.map((m) => m.user?.email ?? "")));
      const byEmail = await outcome(list({ emailPrefix: probe }));
      expectRefusedOnlyIfLone(probe, byEmail);
      if (byEmail.code === "ok") expect(got.sort(), probe).toEqual(members.map((m) => m.email).filter((e) => e.toLowerCase().startsWith(probe.toLowerCase())).sort());
      const byRole = await outcome(list({ role: probe }));
      expectRefusedOnlyIfLone(probe, byRole);
      if (byRole.code === "ok") expect(got, probe).toEqual([]);
    }
  });
});

describe("ZITADEL member text queries match literally", () => {
  const METHODS: [TextQueryMethod, (v: string, q: string) => boolean][] = [
    [TextQueryMethod.EQUALS, (v, q) => v === q],
    [TextQueryMethod.EQUALS_IGNORE_CASE, (v, q) => v.toLowerCase() === q.toLowerCase()],
    [TextQueryMethod.STARTS_WITH, (v, q) => v.startsWith(q)],
    [TextQueryMethod.CONTAINS, (v, q) => v.includes(q)],
    [TextQueryMethod.CONTAINS_IGNORE_CASE, (v, q) => v.toLowerCase().includes(q.toLowerCase())],
    [TextQueryMethod.ENDS_WITH, (v, q) => v.endsWith(q)],
  ];
  const FIELDS = [
    ["email", (email: string, method: TextQueryMethod) => ({ query: { case: "emailQuery" as const, value: { email, method } } })],
    ["firstName", (firstName: string, method: TextQueryMethod) => ({ query: { case: "firstNameQuery" as const, value: { firstName, method } } })],
    ["lastName", (lastName: string, method: TextQueryMethod) => ({ query: { case: "lastNameQuery" as const, value: { lastName, method } } })],
  ] as const;

  it.each(FIELDS)("%s", async (key, query) => {
    // The server matches these in JavaScript (not LIKE); the probes that would mean something to SQL or to a pattern.
    for (const probe of ["%", "_", "%_", "a_", "a%", "\\", "'", "O'", "x'", "'; DROP TABLE users; --", "ALICE", "🎉", "rtl\u202e"]) {
      for (const [method, matches] of METHODS) {
        const { result } = await w.zitadel.listProjectMembers({ projectId: w.projectId, queries: [query(probe, method)], query: { limit: 1000 } }, w.as);
        const expected = members.filter((m) => matches(m[key], probe)).map((m) => m.id);
        expect(result.map((m) => m.userId).sort(), `${key} ${TextQueryMethod[method]} ${JSON.stringify(probe)}`).toEqual(expected.sort());
      }
    }
  });
});

describe("lookups", () => {
  it("audit filters find no event for a probe, and refuse only what is too long or not Unicode", async () => {
    for (const probe of PROBES) {
      for (const filter of [{ action: probe }, { actorId: probe }, { targetId: probe }]) {
        let count = -1;
        const r = await outcome(w.c.audit.listAuditEvents({ ...filter, pageSize: 1000 }, w.as).then((res) => (count = res.events.length)));
        expectRefusedOnlyIfLone(probe, r);
        if (r.code === "ok") expect(count, JSON.stringify(filter)).toBe(0);
      }
    }
  });

  it("CheckAccess with a probe as the permission answers not allowed or INVALID_ARGUMENT naming permission", async () => {
    for (const probe of PROBES) {
      let allowed: boolean | undefined;
      const r = await outcome(w.c.members.checkAccess({ projectId: w.projectId, subject: { case: "userId", value: members[0]!.id }, permission: probe }, w.as).then((res) => (allowed = res.allowed)));
      if (r.code === "ok") expect(allowed, probe).toBe(false);
      else expect(r.message, probe).toMatch(LONE.test(probe) ? /surrogate/ : /permission/);
    }
  });

  it("a probe as an id is NOT_FOUND, or INVALID_ARGUMENT when it cannot be one", async () => {
    const gets = [
      (id: string) => w.c.projects.getProject({ projectId: id }, w.as),
      (id: string) => w.c.users.getUser({ userId: id }, w.as),
      (id: string) => w.c.identities.getIdentity({ identityId: id }, w.as),
      (id: string) => w.c.members.suspendMembership({ membershipId: id }, w.as),
      (id: string) => w.c.tokens.revokeToken({ tokenId: id }, w.as),
    ];
    for (const probe of PROBES.filter((p) => p !== "")) {
      for (const get of gets) {
        const r = await outcome(get(probe));
        expect(r.code, `${JSON.stringify(probe)}: ${r.message}`).toBe(LONE.test(probe) ? "invalid_argument" : `code ${Code.NotFound}`);
      }
    }
  });

  it("a probe as x-zitadel-orgid is PERMISSION_DENIED", async () => {
    // Header values are bytes a client can send: no control characters, nothing past Latin-1.
    for (const probe of PROBES.filter((p) => /^[\x20-\x7e]+$/.test(p) && p.trim() === p)) {
      const r = await outcome(w.c.projects.listProjects({}, { headers: { ...w.as.headers, "x-zitadel-orgid": probe } }));
      expect(r.code, probe).toBe(`code ${Code.PermissionDenied}`);
    }
  });
});

describe("afterwards", () => {
  it("no row changed: every probe only read", () => {
    expect(changedRows(rowsBefore, snapshotRows(ts.dbPath))).toEqual([]);
    expect(changedRows(snapshotRows(ts.dbPath), rowsBefore)).toEqual([]);
  });
});
