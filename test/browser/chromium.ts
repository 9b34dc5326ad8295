// Headless Chromium for the browser tests: Debian's `chromium` package,
// driven by playwright-core (which downloads no browser of its own), with
// the flags that work on these machines and a fresh profile per launch.
// Without /usr/bin/chromium the tests skip, or fail under REQUIRE_TEST_TOOLS=1 (CI).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { missingTools } from "../helpers/readme.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Whether the browser tests can run here; see missingTools. */
export const browserTools = () => missingTools({ chromium: `test -x ${CHROMIUM}` });

/** Where the browser tests leave screenshots (gitignored). */
export const SHOTS = join("test-results", "console");

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Every console message and page error, for a failure's report. */
  log: string[];
  /** The calls the page made: the method's path and the content type it sent. */
  calls: { path: string; contentType: string }[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
  });
  // Generous: every wait ends as soon as its condition holds; only a failure waits this long.
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const log: string[] = [];
  page.on("console", (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
  const calls: Browser["calls"] = [];
  page.on("request", (r) => {
    if (r.method() === "POST") calls.push({ path: new URL(r.url()).pathname, contentType: r.headers()["content-type"] ?? "" });
  });
  mkdirSync(SHOTS, { recursive: true });
  return {
    context,
    page,
    log,
    calls,
    shot: async (name) => void (await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The form controls on the page that nothing names: no label, no aria-label. */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.locator("input, select, textarea").evaluateAll((els) =>
    els.filter((el) => (el as unknown as { labels: { length: number } }).labels.length === 0 && !el.getAttribute("aria-label")).map((el) => el.outerHTML),
  );
}
