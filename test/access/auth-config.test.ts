// The flags of external identity providers and of the failure budget: good
// values load, and a mistake stops the start with exit status 2 and a
// message naming the flag and what is wrong, as every other flag does.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";

const dir = mkdtempSync(join(tmpdir(), "membership-auth-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes a providers file holding `doc` (a string is written as is) and returns its path. */
function providersFile(doc: unknown): string {
  const path = join(dir, `providers-${n++}.json`);
  writeFileSync(path, typeof doc === "string" ? doc : JSON.stringify(doc));
  return path;
}

const good = { issuer: "https://idp.example", audience: "membership", jwksUrl: "https://idp.example/jwks", organizationId: "1" };
const load = (doc: unknown) => loadConfig(["--jwt-providers", providersFile(doc)], {});

describe("--jwt-providers", () => {
  it("loads providers with their defaults, and a JWKS file relative to the providers file", () => {
    const c = load({ providers: [good, { ...good, audience: "other", jwksUrl: undefined, jwksFile: "keys/jwks.json", claim: "email" }] });
    expect(c.jwtProviders[0]).toMatchObject({ claim: "sub", clockSkewSeconds: 30, jwks: { url: "https://idp.example/jwks" } });
    expect(c.jwtProviders[0]!.algorithms).toContain("RS256");
    expect(c.jwtProviders[0]!.algorithms.some((a) => a.startsWith("HS") || a === "none")).toBe(false);
    expect(c.jwtProviders[1]).toMatchObject({ claim: "email", jwks: { file: join(dir, "keys/jwks.json") } });
    expect(loadConfig([], {}).jwtProviders).toEqual([]);
  });

  it.each([
    ["a missing file", null, /cannot read .*ENOENT/],
    ["a file that is not JSON", "{ nope", /not valid JSON/],
    ["no providers", { providers: [] }, /at least one provider/],
    ["an unknown field", { providers: [{ ...good, secret: "x" }] }, /providers\[0\]: unknown field "secret"/],
    ["no key source", { providers: [{ ...good, jwksUrl: undefined }] }, /exactly one of jwksUrl and jwksFile/],
    ["two key sources", { providers: [{ ...good, jwksFile: "k.json" }] }, /exactly one of jwksUrl and jwksFile/],
    ["cleartext keys from afar", { providers: [{ ...good, jwksUrl: "http://idp.example/jwks" }] }, /jwksUrl must use https/],
    ["an HMAC algorithm", { providers: [{ ...good, algorithms: ["RS256", "HS256"] }] }, /"HS256" is not allowed; use public-key algorithms only/],
    ['alg "none"', { providers: [{ ...good, algorithms: ["none"] }] }, /"none" is not allowed/],
    ["a claim other than sub or email", { providers: [{ ...good, claim: "name" }] }, /claim must be "sub" or "email"/],
    ["a negative clock skew", { providers: [{ ...good, clockSkewSeconds: -1 }] }, /clockSkewSeconds must be a whole number from 0 to 300/],
    ["an empty issuer", { providers: [{ ...good, issuer: "" }] }, /issuer must be a non-empty string/],
    ["a repeated issuer and audience", { providers: [good, good] }, /providers\[1\] repeats the issuer and audience/],
  ])("refuses %s", (_name, doc, problem) => {
    const path = doc === null ? join(dir, "missing.json") : providersFile(doc);
    expect(() => loadConfig(["--jwt-providers", path], {})).toThrow(/^--jwt-providers /);
    expect(() => loadConfig(["--jwt-providers", path], {})).toThrow(problem);
  });
});

describe("--auth-fail-budget and --auth-fail-window-ms", () => {
  it("default to 20 failures per minute, and take flags or the environment", () => {
    expect(loadConfig([], {})).toMatchObject({ authFailBudget: 20, authFailWindowMs: 60_000 });
    expect(loadConfig(["--auth-fail-budget", "0"], {}).authFailBudget).toBe(0);
    expect(loadConfig([], { MEMBERSHIP_AUTH_FAIL_BUDGET: "5", MEMBERSHIP_AUTH_FAIL_WINDOW_MS: "1000" })).toMatchObject({
      authFailBudget: 5,
      authFailWindowMs: 1000,
    });
  });

  it("refuses values that are not whole numbers in range", () => {
    expect(() => loadConfig(["--auth-fail-budget", "1.5"], {})).toThrow(/^--auth-fail-budget must be a whole number/);
    expect(() => loadConfig(["--auth-fail-window-ms", "10"], {})).toThrow(/^--auth-fail-window-ms must be a whole number from 1000/);
  });
});

describe("the server process", () => {
  it("exits with status 2 and names the flag when the providers file is wrong", () => {
    const path = providersFile({ providers: [{ ...good, algorithms: ["HS256"] }] });
    const run = spawnSync(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "src/main.ts", "--jwt-providers", path], {
      cwd: resolve(import.meta.dirname, "../.."),
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^membership-server: --jwt-providers providers\[0\]\.algorithms: "HS256" is not allowed/);
  });
});
