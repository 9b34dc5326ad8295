// The console's files on the API's port (src/edge/console-files.ts): the
// real build served with its content types and caching, GET / linking to
// it, and nothing outside the build reachable, however the path is spelled.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConsole } from "../../scripts/build-console.mjs";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { h1Request, h2Request } from "../transport/helpers.ts";

let dir: string;
let files: string[];
let ts: TestServer;
let unbuilt: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "console-files-"));
  const out = join(dir, "console");
  files = await buildConsole(out);
  // Beside the build, where a path that climbs out would land.
  writeFileSync(join(dir, "secret.txt"), "not for the web");
  [ts, unbuilt] = await Promise.all([startTestServer({ consoleDir: out }), startTestServer({ consoleDir: join(dir, "nothing-here") })]);
}, 30_000);

afterAll(async () => {
  await Promise.all([ts?.close(), unbuilt?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("GET /console", () => {
  it("serves the page, which names its hashed script and style sheet, and revalidates it on every load", async () => {
    const r = await fetch(`${ts.url}/console/`);
    expect([r.status, r.headers.get("content-type"), r.headers.get("cache-control")]).toEqual([200, "text/html; charset=utf-8", "no-cache"]);
    expect(r.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await r.text();
    const assets = files.filter((f) => f !== "index.html");
    expect(assets.map((f) => f.replace(/-[A-Z0-9]{8}\./, "-*."))).toEqual(["console-*.js", "style-*.css"]);
    for (const f of assets) expect(html).toContain(`"${f}"`);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("serves the bundles with their content types, cached for good since their names change with their content", async () => {
    const types: [string, string][] = [[files[0]!, "text/javascript; charset=utf-8"], [files[1]!, "text/css; charset=utf-8"]];
    for (const [f, type] of types) {
      const r = await fetch(`${ts.url}/console/${f}`);
      expect([r.status, r.headers.get("content-type"), r.headers.get("cache-control")]).toEqual([200, type, "public, max-age=31536000, immutable"]);
      expect(Buffer.from(await r.arrayBuffer()).equals(readFileSync(join(dir, "console", f)))).toBe(true);
    }
  });

  it("redirects /console to /console/, answers HEAD without a body and refuses other methods", async () => {
    const moved = await fetch(`${ts.url}/console`, { redirect: "manual" });
    expect([moved.status, moved.headers.get("location")]).toEqual([308, "/console/"]);
    const head = await h1Request(ts.url, { method: "HEAD", path: "/console/" });
    expect([head.status, head.body.length, Number(head.headers["content-length"])]).toEqual([200, 0, (await (await fetch(`${ts.url}/console/`)).arrayBuffer()).byteLength]);
    const post = await fetch(`${ts.url}/console/`, { method: "POST" });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
  });

  it("serves the page over HTTP/2 as well", async () => {
    const r = await h2Request(ts.url, { ":path": "/console/" });
    expect([r.status, r.headers["content-type"]]).toEqual([200, "text/html; charset=utf-8"]);
  });

  for (const path of ["/console/../secret.txt", "/console/%2e%2e/secret.txt", "/console/..%2fsecret.txt", "/console//etc/passwd", "/console/missing.js", "/console/.", "/console/%00"]) {
    it(`answers 404 to ${path}, over HTTP/2 as sent, unnormalized`, async () => {
      const r = await h2Request(ts.url, { ":path": path });
      expect([r.status, r.headers["content-type"]]).toEqual([404, "text/plain; charset=utf-8"]);
      expect(r.body.toString()).not.toContain("not for the web");
    });
  }

  it("says how to build the console where it is not built", async () => {
    const r = await fetch(`${unbuilt.url}/console/`);
    expect(r.status).toBe(404);
    expect(await r.text()).toContain("npm run build");
  });
});

describe("GET /", () => {
  it("links a browser to the console, and names it to a script", async () => {
    const page = await fetch(`${ts.url}/`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain('<a href="/console/">');
    expect(await (await fetch(`${ts.url}/`)).json()).toMatchObject({ console: "/console/" });
  });
});
