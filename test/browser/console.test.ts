// The web console end to end, in headless Chromium against a real server
// (SQLite file, real port): sign in, create a project, add a user and a
// machine identity with a temporary role, read its time left, suspend a
// member, see a change made through the API appear live (WatchMemberships
// over gRPC-web), find every step in the audit log, and read an error with
// its code. Screenshots of each view go to test-results/console/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConsole } from "../../scripts/build-console.mjs";
import { clientsFor, type Clients } from "../helpers/fixtures.ts";
import { protocol } from "../helpers/protocol-matrix.ts";
import { auth, startTestServer, type TestServer } from "../helpers/server.ts";
import { browserTools, launchChromium, type Browser } from "./chromium.ts";

const tools = browserTools();
let ts: TestServer;
let api: Clients;
let b: Browser;
let dir: string;
let projectId = "";
const people = { ada: "", grace: "", bot: "" };

beforeAll(async () => {
  if (tools.skip) return;
  dir = mkdtempSync(join(tmpdir(), "console-build-"));
  await buildConsole(dir);
  ts = await startTestServer({ file: true, consoleDir: dir });
  api = clientsFor(protocol("connect proto h2c").transport(ts.url, {}));
  const admin = auth(ts.adminToken);
  people.ada = (await api.users.createUser({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" }, admin)).user!.id;
  people.grace = (await api.users.createUser({ email: "grace@example.com", firstName: "Grace", lastName: "Hopper" }, admin)).user!.id;
  people.bot = (await api.identities.createIdentity({ name: "deploy-bot" }, admin)).identity!.id;
  b = await launchChromium();
}, 60_000);

afterAll(async () => {
  await b?.close();
  await ts?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(tools.skip)("the web console in Chromium", () => {
  it("has its tools", () => expect(tools.missing).toEqual([]));

  it("shows a wrong token's error in words with its code, then signs in with the right one", async () => {
    const { page } = b;
    await page.goto(`${ts.url}/console/`);
    await page.getByLabel("API token").fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator("#notice").textContent()).toMatch(/^Unauthenticated \(code 16, UNAUTHENTICATED\): /);
    await b.shot("error");
    await page.getByLabel("API token").fill(ts.adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("membership.token"))).toBe(ts.adminToken);
  });

  it("creates a project and opens its empty member list", async () => {
    const { page } = b;
    await page.getByLabel("Name", { exact: true }).fill("Apollo");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("link", { name: "Apollo" }).waitFor();
    await b.shot("projects");
    const { projects } = await api.projects.listProjects({}, auth(ts.adminToken));
    projectId = projects.find((p) => p.name === "Apollo")!.id;
    await page.getByRole("link", { name: "Apollo" }).click();
    await page.getByText("This project has no members yet.").waitFor();
  });

  it("adds a user, and an identity with a temporary role whose time left shows", async () => {
    const { page } = b;
    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByLabel("Who").selectOption(people.ada);
    await page.getByRole("checkbox", { name: "Viewer", exact: true }).check();
    await b.shot("add-member");
    await page.getByRole("button", { name: "Add member" }).last().click();
    await page.locator("tr[data-kind=user] th", { hasText: "Ada Lovelace" }).waitFor();

    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByLabel("Kind").selectOption("identity");
    await page.getByLabel("Who").selectOption(people.bot);
    await page.getByRole("checkbox", { name: "Member", exact: true }).check();
    await page.getByLabel("Temporary access").check();
    await page.getByLabel("For").fill("3h");
    await page.getByRole("button", { name: "Add member" }).last().click();
    const bot = page.locator("tr[data-kind=identity]");
    await bot.locator("th", { hasText: "deploy-bot" }).waitFor();
    expect(await bot.getByRole("img").getAttribute("aria-label")).toBe("Machine identity");
    expect(await bot.locator(".chip").textContent()).toMatch(/^member (2h 5\dm|3h) left$/);
  });

  it("suspends a member", async () => {
    const { page } = b;
    await page.getByRole("button", { name: "Suspend Ada Lovelace" }).click();
    await page.locator("tr[data-kind=user] .status").getByText("Suspended").waitFor();
    expect(await page.getByRole("button", { name: "Resume Ada Lovelace" }).count()).toBe(1);
  });

  it("shows a member added through the API without a reload", async () => {
    const { page } = b;
    await page.getByText("● Live").waitFor();
    const marker = await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
    await api.members.addProjectMember({ projectId, userId: people.grace, roles: ["admin"] }, auth(ts.adminToken));
    await page.locator("table.members th", { hasText: "Grace Hopper" }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(marker);
    await b.shot("members");
  });

  it("lists every step in the audit log", async () => {
    const { page } = b;
    await page.getByRole("link", { name: "Audit log" }).last().click();
    await page.locator("table.audit").waitFor();
    await b.shot("audit");
    const actions = await page.locator("table.audit tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-action")));
    // The project, Ada, the bot, Ada suspended, Grace through the API: in the order they happened.
    expect(actions).toEqual(["project.created", "membership.added", "membership.added", "membership.suspended", "membership.added"]);
    const { events } = await api.audit.listAuditEvents({ projectId, pageSize: 100 }, auth(ts.adminToken));
    expect(actions).toEqual(events.map((e) => e.action));
  });
});
