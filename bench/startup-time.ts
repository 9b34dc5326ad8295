// Start-up time of the real server process as `npm start` runs it (the
// bundle): from spawn() to the first answered GET /healthz, on a fresh copy
// of the seeded database each time. The first start fills Node's compile
// cache; the median is over all of them.
// The port is chosen beforehand, so polling can start at spawn.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pinned, stopProcess } from "./proc.ts";

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function healthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
  });
}

/** Milliseconds from spawn to the first 200 of /healthz, once per start. */
export async function measureStartup(repoRoot: string, seedDb: string, dir: string, times: number): Promise<number[]> {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: repoRoot });
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const db = join(dir, `startup-${i}.db`);
    copyFileSync(seedDb, db);
    const port = await freePort();
    // What `npm start` runs once it has built the bundle (scripts/build.mjs).
    const args = ["dist/membership-server.mjs", "--port", String(port), "--db", db, "--log-level", "error", "--token-file", join(dir, "startup-token")];
    const [cmd, argv] = pinned(0, process.execPath, args);
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd: repoRoot, stdio: "ignore" });
    let exited = false;
    child.once("exit", () => (exited = true));
    while (!(await healthz(port))) {
      if (exited) throw new Error("the server exited during start-up");
      await sleep(2);
    }
    out.push(performance.now() - t0);
    await stopProcess(child);
  }
  return out;
}
