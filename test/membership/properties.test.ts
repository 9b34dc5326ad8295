// Property tests: temporary ranges, paging under concurrent inserts, and
// atomic role replacement.
import fc from "fast-check";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TemporaryMode } from "../../gen/membership/v1/common_pb.js";
import { MAX_RANGE_MS, isWithinWindow, parseRange } from "../../src/access/temporary-range.ts";
import { createWorld, type World } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

describe("temporary ranges", () => {
  it("parse a positive count and unit into milliseconds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 36_500 }), fc.constantFrom("s", "m", "h", "d"), (n, unit) => {
        expect(parseRange(`${n}${unit}`)).toBe(n * UNITS[unit as keyof typeof UNITS]);
      }),
    );
  });

  it("refuse anything else", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const m = /^([0-9]{1,12})([smhd])$/.exec(s);
        const valid = m !== null && Number(m[1]) > 0 && Number(m[1]) * UNITS[m[2] as keyof typeof UNITS] <= MAX_RANGE_MS;
        expect(parseRange(s) !== undefined).toBe(valid);
      }),
    );
    for (const bad of ["0s", "-1h", "1w", "1.5h", " 1h", "1h ", "1H", "", "h", "99999999999d"]) expect(parseRange(bad)).toBeUndefined();
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
  let ts: TestServer;
  let w: World;
  beforeAll(async () => {
    ts = await startTestServer({ file: true });
    w = await createWorld(ts);
  });
  afterAll(() => ts.close());

  it("stores end = start + range for any valid range", async () => {
    const bot = await w.newIdentity();
    await w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: bot.id }, w.admin);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.constantFrom("s", "m", "h", "d"), fc.integer({ min: 0, max: 2 ** 41 }), async (n, unit, start) => {
        const { roles } = await w.c.members.updateIdentityMembership(
          {
            projectId: w.projectId,
            identityId: bot.id,
            roles: [{ role: "viewer", isTemporary: true, temporaryMode: TemporaryMode.RELATIVE, temporaryRange: `${n}${unit}`, temporaryAccessStartTime: timestampFromMs(start) }],
          },
          w.admin,
        );
        expect(timestampDate(roles[0]!.temporaryAccessEndTime!).getTime()).toBe(start + n * UNITS[unit as keyof typeof UNITS]);
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
