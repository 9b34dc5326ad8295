// README's "Canopy API" example, run as written in one shell against a real
// `npm start` in a scratch folder: an account with a slug, an identity and an
// application in it, and the identity added with Canopy's curl.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeScratch, scratch, session, startCommand, type Background, type BlockResult } from "../helpers/readme.ts";

let dir: string;
let server: Background;
let out: Record<string, BlockResult>;

beforeAll(async () => {
  dir = scratch("readme-canopy");
  server = await startCommand("npm start -- --port 0", "npm start", { cwd: dir });
  out = await session(["token", "canopy-setup", "canopy-add"], { cwd: dir, ports: { 8080: Number(new URL(server.url).port) } });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  removeScratch(dir);
});

describe("README's Canopy API example", () => {
  it("adds the identity to the application and answers Canopy's AppMembership object", () => {
    expect(out["canopy-setup"]!.status).toBe(0);
    const m = JSON.parse(out["canopy-add"]!.stdout);
    expect(Object.keys(m).sort()).toEqual(["activated_at", "application_id", "created_at", "deactivated_at", "id", "identity_id", "invited_at", "status"]);
    expect([m.status, m.invited_at, m.deactivated_at, m.activated_at]).toEqual(["active", null, null, m.created_at]);
    expect(m.identity_id).toMatch(/\S/);
    expect(m.application_id).toMatch(/\S/);
  });
});
