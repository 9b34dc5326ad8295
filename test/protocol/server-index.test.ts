// GET / answers what the server is and where to go next, over both HTTP
// versions; its version is package.json's.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { h1Request, h2Request } from "../transport/helpers.ts";

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

describe("GET /", () => {
  it("carries the version package.json gives", () => {
    expect(VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });

  for (const [name, get] of [
    ["HTTP/1.1", () => h1Request(ts.url, { path: "/" })],
    ["HTTP/2", () => h2Request(ts.url, { ":path": "/" })],
  ] as const) {
    it(`names the server, its version, its APIs and health over ${name}, without a token`, async () => {
      const r = await get();
      expect([r.status, r.headers["content-type"]]).toEqual([200, "application/json"]);
      const body = JSON.parse(r.body.toString());
      expect(body).toMatchObject({ name: "membership-server", version: VERSION, health: "/healthz" });
      expect(body.api.services).toContain("membership.v1");
      expect(body.api.protocols).toEqual(["grpc", "grpc-web", "connect", "rest"]);
    });
  }
});
