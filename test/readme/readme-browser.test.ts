// README's browser example in a real browser: the server started as README
// says (npm start with --cors-origins), the page served from the origin it
// allows, its module script bundled as a bundler would (esbuild resolves the
// package imports; nothing else changes), opened in headless Chromium, and
// the projects the page lists read back from its DOM.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, missingTools, removeScratch, scratch, startBlock, type Background } from "../helpers/readme.ts";

/** Debian's chromium-headless-shell, else a full chromium. */
const FIND_CHROMIUM = "command -v chromium-headless-shell || command -v chromium";
const browser = missingTools({ "chromium-headless-shell": FIND_CHROMIUM });

let dir: string;
let api: Background;
let page: Server;
let pagePort: number;

/** README's index.html (saved with the test's ports), its module script bundled. */
async function bundledPage(): Promise<string> {
  const html = readFileSync(join(dir, "index.html"), "utf8");
  const [, script] = /<script type="module">([\s\S]*?)<\/script>/.exec(html)!;
  const out = await build({ stdin: { contents: script!, resolveDir: dir, sourcefile: "index.html" }, bundle: true, format: "esm", write: false, logLevel: "silent" });
  return html.replace(script!, () => out.outputFiles[0]!.text);
}

/** The DOM of `url` once its scripts have run and its requests are answered. */
function dumpDom(url: string): Promise<string> {
  const child = spawn("bash", ["-c", `exec "$(${FIND_CHROMIUM})" "$@"`, "chromium",
    // Root (CI) needs --no-sandbox; the virtual time budget lets the page's fetches finish before the dump.
    "--no-sandbox", "--disable-gpu", `--user-data-dir=${join(dir, "chromium")}`, "--virtual-time-budget=15000", "--dump-dom", url]);
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((ok) => child.once("close", () => (clearTimeout(timer), ok(out))));
}

beforeAll(async () => {
  if (browser.skip) return;
  dir = scratch("readme-browser");
  const port = await freePort();
  pagePort = await freePort();
  const ports = { 8080: port, 5173: pagePort };
  // README's command names no port: 8080 is the default, which the variable moves.
  api = await startBlock("serve-cors", { cwd: dir, ports, env: { MEMBERSHIP_PORT: String(port) } });
  const html = await bundledPage();
  page = createServer((_, res) => res.setHeader("content-type", "text/html").end(html));
  await new Promise<void>((ok) => page.listen(pagePort, "127.0.0.1", ok));
}, 60_000);

afterAll(async () => {
  await api?.stop();
  if (page) await new Promise((ok) => page.close(ok));
  if (dir) removeScratch(dir);
});

describe.skipIf(browser.skip)("README's browser example", () => {
  it("has its tools", () => expect(browser.missing).toEqual([]));

  it("lists the projects in headless Chromium, calling the API from the origin it allows", async () => {
    const token = readFileSync(join(dir, "data", "membership.db.admin-token"), "utf8").trim();
    for (const name of ["Apollo", "Gemini"]) {
      const res = await fetch(`${api.url}/membership.v1.ProjectService/CreateProject`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name }),
      });
      expect(res.status).toBe(200);
    }
    const dom = await dumpDom(`http://localhost:${pagePort}/#${token}`);
    expect([...dom.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1])).toEqual(["Apollo", "Gemini"]);
  });
});
