// On a terminal the log is for a person: pino-pretty's lines, not JSON.
// `script` (util-linux) gives the process a pseudo-terminal as its stdout.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

describe("the log on a terminal", () => {
  it("is pino-pretty's readable lines, the startup lines among them", async () => {
    const cmd = `${process.execPath} --experimental-strip-types --disable-warning=ExperimentalWarning src/main.ts --port 0 --db :memory:`;
    const child = spawn("script", ["-qfec", cmd, "/dev/null"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"], detached: true });
    let out = "";
    const exited = new Promise((ok) => child.once("exit", ok));
    await new Promise<void>((ok, fail) => {
      void exited.then(() => fail(new Error(`exited before listening: ${out}`)));
      child.stdout!.on("data", (b: Buffer) => {
        out += b.toString();
        if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(out)) ok();
      });
    });
    process.kill(-child.pid!, "SIGTERM");
    await exited;
    const text = out.replace(/\x1b\[[0-9;]*m/g, "");
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(\d+\): membership server listening on http:\/\/127\.0\.0\.1:\d+/m);
    expect(text).not.toMatch(/^\{"level"/m);
  });
});
