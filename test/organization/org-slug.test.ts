// Organizations' slugs over the native API, the command line and the
// migration that brings them to an older database: asked for, a slug must be
// valid and free; left out, one is derived from the name and made free.
import Database from "better-sqlite3";
import { Code, ConnectError } from "@connectrpc/connect";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { migrate } from "../../src/store/sqlite/migrations.ts";
import { cli, cliJson } from "../helpers/cli-process.ts";
import { createWorld, type World } from "../helpers/fixtures.ts";
import { worldsOnPostgres } from "../helpers/postgres.ts";
import { startTestServer } from "../helpers/server.ts";

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => null, (e: unknown) => ConnectError.from(e));
  return err && { code: err.code, message: err.rawMessage };
};

describe("organization slugs over the native API", () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld(await startTestServer());
  });
  afterAll(() => w.close());
  const create = (name: string, slug?: string) => w.c.orgs.createOrganization({ name, slug }, w.admin);

  it("keeps the slug asked for, and GetOrganization and ListOrganizations show it", async () => {
    const { organization } = await create("Acme Corporation", "acme");
    expect(organization!.slug).toBe("acme");
    expect((await w.c.orgs.getOrganization({ organizationId: organization!.id }, w.admin)).organization!.slug).toBe("acme");
    const { organizations } = await w.c.orgs.listOrganizations({}, w.admin);
    expect(organizations.find((o) => o.id === organization!.id)!.slug).toBe("acme");
  });

  it("derives one from the name, with a suffix when it is taken", async () => {
    expect((await create("Blue Sky, Inc.")).organization!.slug).toBe("blue-sky-inc");
    expect((await create("blue sky inc")).organization!.slug).toBe("blue-sky-inc-2");
    expect((await create("Ünïcode Ørg")).organization!.slug).toBe("unicode-rg");
    expect((await create("日本")).organization!.slug).toMatch(/^org(-\d+)?$/);
  });

  it("answers ALREADY_EXISTS for a slug another organization has, whatever the name", async () => {
    await create("Taken", "taken");
    expect(await refusal(create("Something else", "taken"))).toEqual({ code: Code.AlreadyExists, message: expect.stringContaining("taken") });
  });

  it.each(["Upper", "with space", "-leading", "trailing-", "a".repeat(65), "under_score"])("answers INVALID_ARGUMENT naming the field for %s", async (slug) => {
    expect(await refusal(create("Bad slug", slug))).toEqual({ code: Code.InvalidArgument, message: expect.stringMatching(/^slug: /) });
  });
});

// A SQLite file of its own (test/storage/postgres-org-slug.test.ts has the migration on PostgreSQL).
describe.skipIf(worldsOnPostgres)("organization slugs on the command line and in the migration", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "org-slug-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("org create --slug sets it and refuses a bad one naming the field", async () => {
    const server = await startTestServer({ file: true });
    onTestFinished(() => server.close());
    const db = ["--db", server.dbPath!];
    expect((await cliJson(["org", "create", "--name", "Acme", "--slug", "acme-eu", ...db])).slug).toBe("acme-eu");
    const bad = await cli(["org", "create", "--name", "Acme", "--slug", "Acme EU", ...db]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("slug");
  });

  it("gives organizations of an older database slugs from their names, the oldest the plain one, and keeps them unique", () => {
    const db = new Database(join(dir, "old.db"));
    try {
      migrate(db, 3);
      db.exec("INSERT INTO organizations VALUES ('a', 'Acme', 2), ('b', 'Acme', 1), ('c', 'Zeta Labs', 3)");
      migrate(db);
      const slugs = db.prepare("SELECT id, slug FROM organizations ORDER BY id").all();
      expect(slugs).toEqual([
        { id: "a", slug: "acme-2" },
        { id: "b", slug: "acme" },
        { id: "c", slug: "zeta-labs" },
      ]);
      expect(() => db.prepare("UPDATE organizations SET slug = 'acme' WHERE id = 'c'").run()).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });
});
