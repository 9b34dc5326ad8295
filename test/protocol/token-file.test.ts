// The administrator's bootstrap token file belongs to its database, is
// written only once the port is bound, and never replaces an existing file:
// a mistake at start-up must not lock the administrator out.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";

const dirs: string[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "token-file-"));
  dirs.push(d);
  return d;
};
const start = async (argv: string[]) => {
  const s = await startServer(loadConfig(["--port", "0", "--log-level", "silent", ...argv], {}), { logger: createLogger("silent") });
  servers.push(s);
  return s;
};

describe("the bootstrap token file", () => {
  it("is <db>.admin-token by default, so two databases in one folder keep their own", async () => {
    const dir = scratch();
    const a = await start(["--db", join(dir, "a.db")]);
    const b = await start(["--db", join(dir, "b.db")]);
    expect([a.tokenFile, b.tokenFile]).toEqual([join(dir, "a.db.admin-token"), join(dir, "b.db.admin-token")]);
    expect(readFileSync(a.tokenFile!, "utf8").trim()).toBe(a.bootstrap!.secret);
    expect(readFileSync(b.tokenFile!, "utf8").trim()).toBe(b.bootstrap!.secret);
  });

  it("of an in-memory database goes to a fresh temporary path, never to ./data", async () => {
    expect(loadConfig(["--db", ":memory:"], {}).tokenFile!.startsWith(tmpdir())).toBe(true);
    const s = await start(["--db", ":memory:"]);
    dirs.push(resolve(s.tokenFile!, ".."));
    expect(s.tokenFile!.startsWith(tmpdir())).toBe(true);
    expect(readFileSync(s.tokenFile!, "utf8").trim()).toBe(s.bootstrap!.secret);
  });

  it("never replaces an existing file: the new token goes beside it", async () => {
    const dir = scratch();
    const kept = join(dir, "token");
    writeFileSync(kept, "the only token of another database\n");
    const s = await start(["--db", join(dir, "m.db"), "--token-file", kept]);
    expect(readFileSync(kept, "utf8")).toBe("the only token of another database\n");
    expect(s.tokenFile).toBe(`${kept}.1`);
    expect(readFileSync(s.tokenFile!, "utf8").trim()).toBe(s.bootstrap!.secret);
  });

  it("is not written, and the database not bootstrapped, when the port cannot be bound", async () => {
    const dir = scratch();
    const busy = net.createServer();
    await new Promise<void>((ok) => busy.listen(0, "127.0.0.1", ok));
    const port = String((busy.address() as net.AddressInfo).port);
    try {
      await expect(startServer(loadConfig(["--port", port, "--db", join(dir, "m.db")], {}), { logger: createLogger("silent") })).rejects.toThrow();
    } finally {
      busy.close();
    }
    expect(existsSync(join(dir, "m.db.admin-token"))).toBe(false);
    // The next start on a free port is the one that bootstraps, and its token works.
    const s = await start(["--db", join(dir, "m.db")]);
    expect(s.bootstrap).not.toBeNull();
    expect(readFileSync(join(dir, "m.db.admin-token"), "utf8").trim()).toBe(s.bootstrap!.secret);
  });
});
