// A full disk under the running server, on a 4 MB tmpfs the test mounts and
// fills itself: writes answer UNAVAILABLE saying the store is not writable
// (never INTERNAL), reads keep working, no change is half-written, and once
// space is freed writes succeed again.
import Database from "better-sqlite3";
import { Code, ConnectError } from "@connectrpc/connect";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWorld, DEFAULT_PROTOCOL, type World } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { mountTmpfs, type Tmpfs } from "../helpers/tmpfs.ts";
import { managementClient, zitadelErrorOf } from "../helpers/zitadel-client.ts";

let ts: TestServer | undefined;
let disk: Tmpfs | undefined;
afterEach(async () => {
  await ts?.close();
  disk?.unmount();
  ts = disk = undefined;
});

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => ConnectError.from(e));

/** What another connection finds in the file: every project, and the audit trail's sequences and project events. */
function onDisk(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      projects: db.prepare("SELECT id FROM projects ORDER BY id").pluck().all() as string[],
      created: db.prepare("SELECT target_id FROM audit_events WHERE action = 'project.created' ORDER BY target_id").pluck().all() as string[],
      sequences: db.prepare("SELECT sequence FROM audit_events ORDER BY sequence").pluck().all() as number[],
    };
  } finally {
    db.close();
  }
}

describe("a full disk", () => {
  it("answers UNAVAILABLE for writes, keeps serving reads, half-writes nothing, and recovers once space is freed", async (ctx) => {
    const mounted = mountTmpfs("4m");
    if ("unavailable" in mounted) return ctx.skip(mounted.unavailable);
    disk = mounted;
    ts = await startTestServer({ db: join(disk.dir, "membership.db") });
    const w: World = await createWorld(ts);
    const filler = disk.fill(64 * 1024);

    // Write until the disk refuses: 64 KiB were left, so some writes succeed first.
    const description = "d".repeat(1000);
    let refused: ConnectError | null = null;
    let written = 0;
    for (; written < 5000 && !refused; written++) refused = await failure(w.c.projects.createProject({ name: `p${written}`, description }, w.admin));
    expect(written).toBeGreaterThan(1);
    expect(refused?.code).toBe(Code.Unavailable);
    expect(refused?.rawMessage).toMatch(/not writable/);
    expect(refused?.rawMessage).not.toMatch(/SQLITE|INSERT|membership\.db|\//);

    // Writes that arrive together share one batch: each of them gets the answer.
    const together = await Promise.all(Array.from({ length: 8 }, (_, i) => failure(w.c.projects.createProject({ name: `t${i}`, description }, w.admin))));
    expect(together.map((e) => e?.code)).toEqual(Array(8).fill(Code.Unavailable));

    // ZITADEL's clients get the same answer in ZITADEL's shape, with a stable error id.
    const z = await zitadelErrorOf(managementClient(DEFAULT_PROTOCOL.transport(ts.url)).addProjectMember({ projectId: w.projectId, userId: ts.adminUserId, roles: ["PROJECT_OWNER"] }, w.admin));
    expect({ code: z.code, id: z.detail?.id }).toEqual({ code: Code.Unavailable, id: "STORE-NOT-WRITABLE" });

    // Reads go on: a project, a list, the audit trail, an authenticated lookup.
    expect((await w.c.projects.getProject({ projectId: w.projectId }, w.admin)).project?.id).toBe(w.projectId);
    const listed = await w.c.projects.listProjects({ pageSize: 1000 }, w.admin);
    expect(listed.projects.length).toBe(written); // the world's project and every write that succeeded
    const trail = await w.c.audit.listAuditEvents({ pageSize: 1000 }, w.admin);
    expect(trail.events.length).toBeGreaterThan(0);

    // Nothing half-written: each project has its one audit event, and the trail has no gap.
    const full = onDisk(ts.dbPath);
    expect(full.created).toEqual(full.projects);
    expect(full.projects).toEqual(listed.projects.map((p) => p.id).toSorted());
    expect(full.sequences).toEqual(full.sequences.map((_, i) => i + 1));
    expect(ts.logs.some((l) => l.includes("write refused by the disk") && l.includes("SQLITE_FULL"))).toBe(true);
    expect(ts.logs.some((l) => l.includes('"internal error"'))).toBe(false);

    // Room again: the next write succeeds and takes the next sequence.
    rmSync(filler);
    const after = await w.c.projects.createProject({ name: "after", description }, w.admin);
    const recovered = onDisk(ts.dbPath);
    expect(recovered.created).toEqual(recovered.projects);
    expect(recovered.projects).toEqual([...full.projects, after.project!.id].toSorted());
    expect(recovered.sequences).toEqual([...full.sequences, full.sequences.length + 1]);
    // And the hash chain over the trail is whole: no event was sealed for a write that did not commit.
    expect(await w.c.audit.verifyAuditChain({}, w.admin)).toMatchObject({ ok: true, eventsChecked: BigInt(recovered.sequences.length) });
  });
});
