// Browsers on another origin. A page served from its own port (so its own
// origin), bundled with esbuild, calls the server from headless Chromium
// with Google's grpc-web runtime in text mode and with fetch: where the
// server allows that origin the calls succeed and errors arrive with their
// codes; where it does not, the browser blocks them.
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Code } from "@connectrpc/connect";
import { clientsFor } from "../helpers/fixtures.ts";
import { protocol } from "../helpers/protocol-matrix.ts";
import { auth, startTestServer, type TestServer } from "../helpers/server.ts";
import { browserTools, launchChromium, type Browser } from "./chromium.ts";

// A browser on a busy machine is slow: room for it, without timing anything.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });
const tools = browserTools();
let page: Server;
let origin: string;
let allowing: TestServer;
let refusing: TestServer;
let b: Browser;
let visits = 0;

beforeAll(async () => {
  if (tools.skip) return;
  const out = await build({ entryPoints: [join(import.meta.dirname, "pages", "grpc-web-page.ts")], bundle: true, format: "esm", write: false, logLevel: "silent" });
  const html = `<!doctype html><title>grpc-web page</title><script type="module">${out.outputFiles[0]!.text.replaceAll("</script", "<\\/script")}</script>`;
  page = createServer((_, res) => res.setHeader("content-type", "text/html; charset=utf-8").end(html));
  await new Promise<void>((ok) => page.listen(0, "127.0.0.1", ok));
  origin = `http://127.0.0.1:${(page.address() as { port: number }).port}`;
  [allowing, refusing] = await Promise.all([startTestServer({ corsOrigins: [origin] }), startTestServer({ corsOrigins: ["https://elsewhere.example"] })]);
  await clientsFor(protocol("connect proto h2c").transport(allowing.url, {})).projects.createProject({ name: "Apollo" }, auth(allowing.adminToken));
  b = await launchChromium();
});

afterAll(async () => {
  await b?.close();
  await Promise.all([allowing?.close(), refusing?.close()]);
  if (page) await new Promise((ok) => page.close(ok));
});

/** Opens the page against `server` and returns what its calls ended with, and the content types it sent. */
async function visit(server: TestServer) {
  const before = b.calls.length;
  // A query of its own: a new fragment alone would not load the page again.
  await b.page.goto(`${origin}/?visit=${++visits}#${encodeURIComponent(`${server.url} ${server.adminToken}`)}`);
  const handle = await b.page.waitForFunction(() => (globalThis as unknown as { results?: unknown }).results);
  const sent = b.calls.slice(before).map((c) => c.contentType);
  return { results: (await handle.jsonValue()) as Record<string, { ok: boolean; value?: unknown; code?: unknown; message?: string }>, sent };
}

describe.skipIf(tools.skip)("a page of another origin in Chromium", () => {
  it("has its tools", () => expect(tools.missing).toEqual([]));

  it("calls the server that allows its origin: grpc-web text mode with hand-declared descriptors, and fetch", async () => {
    const { results, sent } = await visit(allowing);
    expect(sent).toEqual(["application/grpc-web-text", "application/grpc-web-text", "application/json"]);
    expect(results.list).toEqual({ ok: true, value: ["Apollo"] });
    expect(results.missing).toMatchObject({ ok: false, code: Code.NotFound });
    expect(results.fetched).toMatchObject({ ok: true, value: { projects: [{ name: "Apollo" }] } });
    await b.shot("cross-origin-allowed");
  });

  it("is blocked by the browser where the server does not allow its origin", async () => {
    const { results } = await visit(refusing);
    expect(results.list).toMatchObject({ ok: false });
    expect(results.missing).toMatchObject({ ok: false });
    expect(results.missing!.code).not.toBe(Code.NotFound);
    expect(results.fetched).toMatchObject({ ok: false, code: "TypeError" });
    expect(b.log.some((line) => /blocked by CORS policy/.test(line))).toBe(true);
  });
});
