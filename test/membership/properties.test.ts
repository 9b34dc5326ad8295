// Property tests: temporary ranges, paging under concurrent inserts, and
// atomic role replacement.
import fc from "fast-check";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { isWithinWindow, parseRange } from "../../src/access/temporary-range.ts";
import { temporaryRole, useWorld } from "../helpers/fixtures.ts";

// The oracle is the documented grammar (a positive whole number and one of
// s, m, h, d; at most 100 years), written here from the API docs and the
// length of a second, never from the parser's own pattern or table.
const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNITS;
const HUNDRED_YEARS_MS = 100 * 365 * UNITS.d;
const unit = fc.constantFrom<Unit>("s", "m", "h", "d");
/** A valid amount for `u`: from 1 to the most that stays within 100 years. */
const amountFor = (u: Unit) => fc.integer({ min: 1, max: Math.floor(HUNDRED_YEARS_MS / UNITS[u]) });
const validRange = unit.chain((u) => amountFor(u).map((n) => ({ n, u })));

/** Ways to break a valid range that the grammar rules out, each from a valid (n, u). */
const BREAKS: Record<string, (n: number, u: Unit) => string> = {
  zero: (_n, u) => `0${u}`,
  "zeros only": (n, u) => `${"0".repeat((n % 5) + 2)}${u}`,
  negative: (n, u) => `-${n}${u}`,
  "plus sign": (n, u) => `+${n}${u}`,
  fraction: (n, u) => `${n}.5${u}`,
  exponent: (n, u) => `${n}e1${u}`,
  "no unit": (n) => `${n}`,
  "no amount": (_n, u) => u,
  "unit first": (n, u) => `${u}${n}`,
  "upper-case unit": (n, u) => `${n}${u.toUpperCase()}`,
  "other unit": (n, u) => `${n}${{ s: "ms", m: "w", h: "y", d: "x" }[u]}`,
  "two parts": (n, u) => `${n}${u}${n}${u}`,
  "inner space": (n, u) => `${n} ${u}`,
  "leading space": (n, u) => ` ${n}${u}`,
  "trailing newline": (n, u) => `${n}${u}\n`,
  "non-ASCII digits": (n, u) => `${String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)))}${u}`,
  "beyond 100 years": (n, u) => `${Math.floor(HUNDRED_YEARS_MS / UNITS[u]) + n}${u}`,
};

/** What the grammar makes of `text`: its length in ms, or undefined. Character by character, no pattern. */
function oracle(text: string): number | undefined {
  const u = text.at(-1) as Unit | undefined;
  const digits = text.slice(0, -1);
  if (!u || !(u in UNITS) || digits === "" || [...digits].some((c) => c < "0" || c > "9")) return undefined;
  const ms = Number(digits) * UNITS[u];
  return ms > 0 && ms <= HUNDRED_YEARS_MS ? ms : undefined;
}

describe("temporary ranges", () => {
  it("parse every valid amount and unit, up to 100 years, into amount × unit", () => {
    fc.assert(
      fc.property(validRange, ({ n, u }) => {
        expect(parseRange(`${n}${u}`)).toBe(n * UNITS[u]);
      }),
    );
    for (const u of Object.keys(UNITS) as Unit[]) expect(parseRange(`${HUNDRED_YEARS_MS / UNITS[u]}${u}`)).toBe(HUNDRED_YEARS_MS);
  });

  it.each(Object.entries(BREAKS))("refuse a range broken by %s", (_name, br) => {
    fc.assert(
      fc.property(validRange, ({ n, u }) => {
        expect(parseRange(br(n, u))).toBeUndefined();
      }),
    );
  });

  it("accept any other text only where the grammar does, with the grammar's value", () => {
    const text = fc.oneof(fc.string({ maxLength: 14 }), fc.string({ unit: fc.constantFrom(..."0123456789smhd -+.e"), maxLength: 14 }));
    fc.assert(
      fc.property(text, (s) => {
        expect(parseRange(s)).toBe(oracle(s));
      }),
      { numRuns: 2000 },
    );
  });

  it("define a half-open window [start, start + range)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 42 }), fc.integer({ min: 1, max: 2 ** 32 }), fc.integer({ min: -(2 ** 33), max: 2 ** 33 }), (start, range, offset) => {
        const now = start + offset;
        expect(isWithinWindow(now, start, start + range)).toBe(now >= start && now < start + range);
      }),
    );
  });
});

describe("against a server", () => {
  // In memory: these properties are about values, paging and atomicity, not durability.
  const w = useWorld({ per: "suite" });

  it("stores end = start + range for any valid range", async () => {
    const bot = await w.newIdentity();
    await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), unit, fc.integer({ min: 0, max: 2 ** 41 }), async (n, u, start) => {
        const { roles } = await w.c.members.updateIdentityMembership(
          {
            projectId: w.projectId,
            identityId: bot.id,
            roles: [temporaryRole("viewer", `${n}${u}`, start)],
          },
          w.admin,
        );
        expect(timestampDate(roles[0]!.temporaryAccessEndTime!).getTime()).toBe(start + n * UNITS[u]);
      }),
      { numRuns: 40 },
    );
  });

  it("pages return every row exactly once while others insert", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 3, max: 15 }), fc.integer({ min: 0, max: 6 }), async (pageSize, initial, inserts) => {
        const projectId = await w.newProject();
        const users = await Promise.all(Array.from({ length: initial + inserts }, () => w.newUser()));
        for (const u of users.slice(0, initial)) await w.c.members.addProjectMember({ projectId, userId: u.id }, w.admin);
        const pending = users.slice(initial);
        const seen: string[] = [];
        let pageToken = "";
        do {
          const [page] = await Promise.all([
            w.c.members.listMemberships({ projectId, pageSize, pageToken }, w.admin),
            pending.length ? w.c.members.addProjectMember({ projectId, userId: pending.shift()!.id }, w.admin) : null,
          ]);
          seen.push(...page.memberships.map((m) => m.userId));
          pageToken = page.nextPageToken;
        } while (pageToken);
        // Rows that existed before the walk come back exactly once; nothing repeats.
        expect(new Set(seen).size).toBe(seen.length);
        for (const u of users.slice(0, initial)) expect(seen.filter((id) => id === u.id)).toHaveLength(1);
      }),
      { numRuns: 15 },
    );
  });

  it("role replacement is atomic: readers see the old set or the new one, never a mix", async () => {
    const bot = await w.newIdentity();
    await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [{ role: "viewer" }] }, w.admin);
    const sets = [["admin", "member"], ["viewer"], ["no-access", "PROJECT_OWNER_VIEWER", "member"]].map((s) => s.sort().join(","));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 6 }), async (picks) => {
        const writes = picks.map((i) =>
          w.c.members.updateIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: sets[i]!.split(",").map((role) => ({ role })) }, w.admin),
        );
        const reads = picks.map(() => w.c.members.getIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin));
        const [, got] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
        for (const r of got) {
          const set = r.identityMembership!.roles.map((x) => x.role).sort().join(",");
          expect(["viewer", ...sets]).toContain(set);
        }
        // A failing replacement leaves the previous set whole.
        const current = (await w.c.members.getIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin)).identityMembership!.roles;
        await w.c.members
          .updateIdentityMembership({ projectId: w.projectId, identityId: bot.id, roles: [{ role: "admin" }, { role: "wizard" }] }, w.admin)
          .catch(() => undefined);
        const after = (await w.c.members.getIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin)).identityMembership!.roles;
        expect(after.map((x) => x.id)).toEqual(current.map((x) => x.id));
      }),
      { numRuns: 15 },
    );
  });
});
