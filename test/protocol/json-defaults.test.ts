// JSON answers show what they mean: fields that hold their default value are
// written out ("allowed": false, "roles": []), on the native and ZITADEL APIs,
// whether the fast path or Connect answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld } from "../helpers/fixtures.ts";
import { exchange } from "../helpers/raw-exchange.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const servers: { fastPath: boolean; ts: TestServer; projectId: string; outsider: string }[] = [];
beforeAll(async () => {
  for (const fastPath of [true, false]) {
    const ts = await startTestServer({ fastPath });
    const w = await createWorld(ts);
    servers.push({ fastPath, ts, projectId: w.projectId, outsider: (await w.newUser()).id });
  }
});
afterAll(() => Promise.all(servers.map((s) => s.ts.close())));

async function postJson(s: (typeof servers)[number], path: string, body: unknown, http: 1 | 2) {
  const headers = { "content-type": "application/json", authorization: `Bearer ${s.ts.adminToken}` };
  const x = await exchange(s.ts.url, { http, path, headers, body: JSON.stringify(body) });
  expect(x.status).toBe(200);
  return JSON.parse(x.body.toString()) as Record<string, unknown>;
}

describe("JSON answers carry their default values", () => {
  for (const fastPath of [true, false]) {
    for (const http of [1, 2] as const) {
      it(`a denied CheckAccess says allowed: false and roles: [] (fast path ${fastPath ? "on" : "off"}, HTTP/${http})`, async () => {
        const s = servers.find((x) => x.fastPath === fastPath)!;
        const subject = { userId: s.outsider };
        const r = await postJson(s, "/membership.v1.MembershipService/CheckAccess", { projectId: s.projectId, ...subject, permission: "project.read" }, http);
        expect(r).toEqual({ allowed: false, roles: [] });
      });

      it(`ZITADEL's ListProjectMembers of an empty project lists result: [] (fast path ${fastPath ? "on" : "off"}, HTTP/${http})`, async () => {
        const s = servers.find((x) => x.fastPath === fastPath)!;
        const r = await postJson(s, "/zitadel.management.v1.ManagementService/ListProjectMembers", { projectId: s.projectId }, http);
        expect(r.result).toEqual([]);
        expect(r.details).toMatchObject({ totalResult: "0" });
      });
    }
  }
});
