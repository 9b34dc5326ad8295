// SIGTERM on the real process: stop accepting, end change streams (UNAVAILABLE), finish,
// close the database, exit 0; and the data written before is on disk.
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { drain } from "../helpers/call-outcomes.ts";
import { startServerProcess } from "../helpers/server-process.ts";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("graceful stop", () => {
  it("ends a live WatchMemberships stream, exits 0 and leaves the database whole", async () => {
    dir = mkdtempSync(join(tmpdir(), "stop-"));
    const server = await startServerProcess(["--port", "0", "--db", join(dir, "m.db"), "--shutdown-grace-ms", "600000"]);
    const { url, child, exited } = server;
    const headers = { authorization: `Bearer ${readFileSync(join(dir, "m.db.admin-token"), "utf8").trim()}` };
    const transport = createGrpcTransport({ baseUrl: url });
    const projectId = (await createClient(ProjectService, transport).createProject({ name: "kept" }, { headers })).project!.id;

    const watch = drain(createClient(MembershipService, transport).watchMemberships({ projectId }, { headers }));
    await new Promise((r) => setTimeout(r, 200));
    // A grace period far longer than the test may take: a stream that waited
    // it out, instead of ending at once, fails the test by its timeout.
    child.kill("SIGTERM");
    // Not complete, so not OK: UNAVAILABLE tells the client to resume elsewhere or later.
    expect(await watch).toEqual({ messages: [], code: Code.Unavailable });
    expect(await exited).toBe(0);
    expect(server.stdout()).toContain('"msg":"stopped"');

    const store = openSqliteStore(join(dir, "m.db"));
    try {
      expect((await store.read.projects.get(projectId))?.name).toBe("kept");
    } finally {
      store.close();
    }
  });
});
