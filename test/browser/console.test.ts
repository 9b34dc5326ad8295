// The web console end to end, in headless Chromium against a real server
// (SQLite file, real port): sign in, create a project, add a user and a
// machine identity with a temporary role, read its time left, suspend a
// member, see a change made through the API appear live (WatchMemberships
// over gRPC-web), find every step in the audit log, and read an error with
// its code. Screenshots of each view go to test-results/console/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildConsole } from "../../scripts/build-console.mjs";
import { clientsFor, type Clients } from "../helpers/fixtures.ts";
import { protocol } from "../helpers/protocol-matrix.ts";
import { auth, startTestServer, type TestServer } from "../helpers/server.ts";
import { browserTools, launchChromium, unlabelledControls, type Browser } from "./chromium.ts";

// A browser on a busy machine is slow: room for it, without timing anything.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });
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
});

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
    await page.getByLabel("API token").press("Enter");
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
    expect(await unlabelledControls(page)).toEqual([]);
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
    // The stream runs over gRPC-web, the console's default.
    expect(b.calls.filter((c) => c.path.endsWith("/WatchMemberships")).map((c) => c.contentType)).toContain("application/grpc-web+proto");
    await b.shot("members");
    expect(await unlabelledControls(page)).toEqual([]);
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

describe.skipIf(tools.skip)("the members view's tools", () => {
  const row = (name: string) => b.page.locator("table.members tbody tr", { has: b.page.locator("th", { hasText: name }) });
  const names = () => b.page.locator("table.members tbody th").allTextContents();

  it("searches by name and filters by role", async () => {
    const { page } = b;
    await page.goto(`${ts.url}/console/#/projects/${projectId}`);
    await row("Grace Hopper").waitFor();
    await page.getByLabel("Search by name").fill("gra");
    await expect.poll(names).toEqual(["Grace Hopper"]);
    await page.getByLabel("Search by name").fill("");
    await page.getByLabel("Role").selectOption("viewer");
    await expect.poll(names).toEqual(["Ada Lovelace"]);
    await page.getByLabel("Role").selectOption("");
    await page.getByLabel("Search by name").fill("nobody");
    await page.getByText("No member matches the search.").waitFor();
    await page.getByLabel("Search by name").fill("");
  });

  it("remembers the page size across reloads", async () => {
    const { page } = b;
    await page.getByLabel("Page size").selectOption("50");
    await page.reload();
    await row("Grace Hopper").waitFor();
    expect(await page.getByLabel("Page size").inputValue()).toBe("50");
  });

  it("resumes a suspended member and changes the roles of the selected members at once", async () => {
    const { page } = b;
    await page.getByRole("button", { name: "Resume Ada Lovelace" }).click();
    await row("Ada Lovelace").locator(".status", { hasText: "Active" }).waitFor();
    await page.getByLabel("Select Ada Lovelace").check();
    await page.getByLabel("Select Grace Hopper").check();
    await page.getByRole("button", { name: "Change roles of selected" }).click();
    await page.getByRole("checkbox", { name: "Member", exact: true }).check();
    await page.getByRole("button", { name: "Save roles" }).click();
    await expect.poll(() => row("Ada Lovelace").locator(".chip").allTextContents()).toEqual(["member"]);
    await expect.poll(() => row("Grace Hopper").locator(".chip").allTextContents()).toEqual(["member"]);
  });

  it("removes a member only once confirmed", async () => {
    const { page } = b;
    await page.getByRole("button", { name: "Remove Grace Hopper" }).click();
    await page.getByRole("dialog", { name: "Please confirm" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await row("Grace Hopper").waitFor();
    await page.getByRole("button", { name: "Remove Grace Hopper" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await expect.poll(names).not.toContain("Grace Hopper");
  });

  it("creates and edits a custom role", async () => {
    const { page } = b;
    await page.getByRole("link", { name: "Custom roles" }).click();
    await page.getByText("This project has no custom roles yet.").waitFor();
    await page.getByRole("button", { name: "Create custom role" }).click();
    await page.getByLabel("Slug").fill("auditor");
    await page.getByLabel("Name", { exact: true }).fill("Auditor");
    await page.getByRole("checkbox", { name: "audit.read" }).check();
    await page.getByRole("button", { name: "Create role" }).click();
    await page.locator("tr[data-role=auditor]").waitFor();
    await page.getByRole("button", { name: "Edit auditor" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Auditors");
    await page.getByRole("button", { name: "Save role" }).click();
    await page.locator("tr[data-role=auditor] td", { hasText: "Auditors" }).waitFor();
    await b.shot("roles");
    const { roles } = await api.projects.listProjectRoles({ projectId }, auth(ts.adminToken));
    expect(roles.find((r) => r.slug === "auditor")).toMatchObject({ name: "Auditors", permissions: ["audit.read"], builtIn: false });
  });

  it("speaks gRPC-web by default and the Connect protocol once set", async () => {
    const { page } = b;
    const typeOfNextList = async (go: () => Promise<unknown>) => {
      const [request] = await Promise.all([page.waitForRequest((r) => r.url().endsWith("/ListMemberships")), go()]);
      return request.headers()["content-type"];
    };
    expect(await typeOfNextList(() => page.goto(`${ts.url}/console/#/projects/${projectId}`))).toBe("application/grpc-web+proto");
    await page.getByLabel("Protocol").selectOption("connect");
    expect(await typeOfNextList(() => page.reload())).toBe("application/json");
    await row("Ada Lovelace").waitFor();
  });

  it("acts in the organization picked: every call carries its id", async () => {
    const { page } = b;
    const admin = auth(ts.adminToken);
    const orgId = (await api.orgs.createOrganization({ name: "Second" }, admin)).organization!.id;
    await api.projects.createProject({ name: "Zephyr" }, auth(ts.adminToken, orgId));
    await page.goto(`${ts.url}/console/#/projects`);
    await page.getByRole("link", { name: "Apollo" }).waitFor();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith("/ListProjects")),
      page.getByLabel("Organization").selectOption({ label: "Second" }),
    ]);
    expect(request.headers()["x-zitadel-orgid"]).toBe(orgId);
    await page.getByRole("link", { name: "Zephyr" }).waitFor();
    expect(await page.getByRole("link", { name: "Apollo" }).count()).toBe(0);
  });
});
