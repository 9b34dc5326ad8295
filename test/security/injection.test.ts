// Injection strings in every text field the server stores, over JSON and
// over protobuf, against a real server with its database in a file. Each is
// stored and returned literally (by the write's answer and by a later read),
// or refused as INVALID_ARGUMENT naming the field; never anything else. The
// audit trail holds each stored value literally and its chain still
// verifies; no row that existed before changed; every log line is one JSON
// object, whatever the input held.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { KEY_FIELDS, STORED_FIELDS, type StoredField } from "./injection-fields.ts";
import { INJECTION_STRINGS, LONE_SURROGATES } from "./injection-strings.ts";
import { badLogLines, changedRows, createWorld, ENCODINGS, outcome, snapshotRows, stringsIn, verifyAuditChain, type World } from "./injection-world.ts";

let ts: TestServer;
const worlds = new Map<string, World>();
let rowsBefore: ReturnType<typeof snapshotRows>;
beforeAll(async () => {
  ts = await startTestServer({ file: true });
  for (const e of ENCODINGS) worlds.set(e.name, await createWorld(ts, e));
  rowsBefore = snapshotRows(ts.dbPath);
});
afterAll(() => ts.close());

/** What a name, description or email must not hold: control characters (C0, DEL, C1) and line or paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE = /\p{Cs}/u;

/** The field as protobuf names it (first_name) or as JSON may (firstName). */
const namesField = (field: string) => new RegExp(`${field}|${field.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())}`);

/** Strings at a field's length limit, in ASCII and in 4-byte characters (two UTF-16 units each), and one past it. */
const atLimit = (max: number) => ["x".repeat(max), "🎉".repeat(max / 2), "x".repeat(max + 1), "🎉".repeat(max / 2) + "x"];

describe.each(ENCODINGS)("over $name", (e) => {
  const w = () => worlds.get(e.name)!;
  /** What the server can have received: protobuf carries a lone surrogate as U+FFFD, JSON as itself. */
  const onTheWire = (v: string) => (e.carriesLoneSurrogates ? v : v.replace(/\p{Cs}/gu, "\ufffd"));

  describe.each(STORED_FIELDS)("$name", (f: StoredField) => {
    const values = [...INJECTION_STRINGS, ...LONE_SURROGATES, ...atLimit(f.max)].map(onTheWire);
    const stored: { id: string; value: string }[] = [];

    it("stores each string literally, or refuses it as INVALID_ARGUMENT naming the field", async () => {
      const results = await Promise.all(
        values.map(async (value) => {
          let id = "";
          let echoed = "";
          const result = await outcome(f.write(w(), value).then((r) => ({ id, echoed } = r)));
          return { value, result, id, echoed, read: result.code === "ok" ? await f.read(w(), id) : undefined };
        }),
      );
      for (const r of results) {
        const label = JSON.stringify(r.value).slice(0, 60);
        if (r.result.code === "ok") {
          expect(r.echoed, label).toBe(r.value);
          expect(r.read, label).toBe(r.value);
          stored.push({ id: r.id, value: r.value });
        } else {
          expect(r.result.code, `${label}: ${r.result.message}`).toBe("invalid_argument");
          expect(r.result.message, label).toMatch(namesField(f.field));
        }
      }
      // Names and descriptions refuse control characters, line breaks, lone surrogates and what is
      // too long, and take the rest; an email also refuses what is no address (spaces, a second @).
      for (const r of results) {
        const refuse = CONTROL.test(r.value) || LONE.test(r.value) || r.value.length > f.max;
        if (refuse || f.field !== "email") expect(r.result.code, JSON.stringify(r.value).slice(0, 60)).toBe(refuse ? "invalid_argument" : "ok");
      }
    });

    it.skipIf(f.audited === false)("keeps each stored string literally in the audit trail", async () => {
      expect(stored.length).toBeGreaterThan(0);
      const found = await Promise.all(
        stored.map(async (s) => {
          const as = f.isOrganization ? { headers: { ...w().as.headers, "x-zitadel-orgid": s.id } } : w().as;
          const { events } = await w().c.audit.listAuditEvents({ targetId: s.id }, as);
          return events.flatMap((ev) => stringsIn(ev.after)).some((t) => t === s.value || t === `${s.value}@example.com` || t === `${s.value}@updated.example.com`);
        }),
      );
      expect(stored.filter((_s, i) => !found[i]).map((s) => s.value)).toEqual([]);
    });
  });

  it.each(KEY_FIELDS)("$name refuses every injection string as INVALID_ARGUMENT naming the field", async (k) => {
    for (const value of [...INJECTION_STRINGS, ...LONE_SURROGATES].map(onTheWire)) {
      const r = await outcome(k.send(w(), value));
      expect(r.code, `${JSON.stringify(value)}: ${r.message}`).toBe("invalid_argument");
      if (!LONE.test(value)) expect(r.message, JSON.stringify(value)).toMatch(k.field);
    }
  });
});

describe("x-request-id", () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  /** The request id the audit trail recorded for a write sent with `header`. */
  async function recorded(header: string): Promise<string> {
    const w = worlds.get(ENCODINGS[0]!.name)!;
    const project = (await w.c.projects.createProject({ name: "request id" }, { headers: { ...w.as.headers, "x-request-id": header } })).project!;
    const { events } = await w.c.audit.listAuditEvents({ targetId: project.id }, w.as);
    return events[0]!.requestId;
  }

  it("is recorded when it is plain, and replaced by a fresh id when it holds anything else", async () => {
    expect(await recorded("req-123.abc:7")).toBe("req-123.abc:7");
    for (const header of ["a\u0085b", 'x"}{"msg":"forged', "'; DROP TABLE users; --", "é", "a b"]) {
      const id = await recorded(header);
      expect(id, header).toMatch(UUID);
    }
  });
});

describe("afterwards", () => {
  it("no row that was there before any injection changed", () => {
    expect(changedRows(rowsBefore, snapshotRows(ts.dbPath))).toEqual([]);
  });

  it("the audit chain still verifies, where the server keeps one", async () => {
    const chain = await verifyAuditChain(ts);
    if (chain !== null) expect(chain.ok).toBe(true);
    const { events } = await worlds.get(ENCODINGS[0]!.name)!.c.audit.listAuditEvents({ pageSize: 1000 }, worlds.get(ENCODINGS[0]!.name)!.as);
    expect(events.length).toBeGreaterThan(100);
  });

  it("every line the server logged is one JSON object", () => {
    expect(ts.logs.length).toBeGreaterThan(0);
    expect(badLogLines(ts.logs)).toEqual([]);
  });
});
