// Processes of a benchmark: start pinned to a core, wait for the listening
// line, read CPU time and RSS from /proc, read the allocation probe, stop.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ); asked once, when first needed. */
let ticks = 0;
const ticksPerSecond = () => (ticks ||= Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100);

/** Server on core 0, load generators on core 1, when the machine has two cores and taskset. */
let pin: boolean | undefined;
export function pinning(): boolean {
  if (pin === undefined) {
    try {
      execFileSync("taskset", ["-c", "0", "true"]);
      pin = Number(execFileSync("nproc").toString().trim()) >= 2;
    } catch {
      pin = false;
    }
  }
  return pin;
}

/** The command line, prefixed with `taskset -c <core>` when pinning (taskset execs, so the pid stays). */
export function pinned(core: number, cmd: string, args: string[]): [string, string[]] {
  return pinning() ? ["taskset", ["-c", String(core), cmd, ...args]] : [cmd, args];
}

/** User + system CPU time of a process, in milliseconds. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond(); // fields 14 and 15 of proc(5)
}

/**
 * Time the main thread has run and has waited, runnable, for a core
 * (/proc/<pid>/schedstat), in milliseconds. On a shared machine the wait is
 * how much other processes held the process back.
 */
export function schedOf(pid: number | "self"): { runMs: number; waitMs: number } {
  const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ").map(Number);
  return { runMs: run! / 1e6, waitMs: wait! / 1e6 };
}

/** Resident set size in KiB, or 0 when the process is gone. */
export function rssKiBOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface Server {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** Where the allocation probe writes, when the server was started with it. */
  probeFile: string | null;
  probeSeq: number;
}

/** Spawns a server on core 0 and resolves once it prints "listening on <url>". */
export async function startServer(name: string, args: string[], probeFile: string | null, cwd: string): Promise<Server> {
  const [cmd, argv] = pinned(0, process.execPath, args);
  const child = spawn(cmd, argv, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BENCH_PROBE_FILE: probeFile ?? "" } });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[^\s"]+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before listening:\n${out}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { name, url, pid: child.pid!, child, probeFile, probeSeq: 0 };
}

export interface ProbeReading {
  /** Cumulative bytes allocated on the V8 heap. */
  allocatedBytes: number;
  /** HTTP/2 streams and HTTP/1.1 responses finished so far. */
  served: number;
}

/** What the server's probe counted so far (see alloc-probe.ts); NaN without a probe. */
export async function readProbe(server: Server): Promise<ProbeReading> {
  if (!server.probeFile) return { allocatedBytes: NaN, served: NaN };
  const want = ++server.probeSeq;
  process.kill(server.pid, "SIGUSR2");
  for (let waited = 0; waited < 5000; waited += 5) {
    if (existsSync(server.probeFile)) {
      const r = JSON.parse(readFileSync(server.probeFile, "utf8")) as ProbeReading & { seq: number };
      if (r.seq === want) return r;
    }
    await sleep(5);
  }
  throw new Error(`${server.name}: the probe did not answer`);
}

/** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Polls while a load runs: the server's peak RSS, and the generator's CPU and run-queue wait since it started. */
export function startSampler(serverPid: number, generatorPid: number, everyMs = 50) {
  let peakRssKiB = rssKiBOf(serverPid);
  let generator = { cpuMs: 0, waitMs: 0, atMs: 0 };
  const t0 = performance.now();
  const timer = setInterval(() => {
    peakRssKiB = Math.max(peakRssKiB, rssKiBOf(serverPid));
    try {
      generator = { cpuMs: cpuMsOf(generatorPid), waitMs: schedOf(generatorPid).waitMs, atMs: performance.now() - t0 };
    } catch {
      // exited: keep the last reading
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const pct = (ms: number) => (generator.atMs > 0 ? (ms / generator.atMs) * 100 : NaN);
      return { peakRssKiB, generatorCpuPct: pct(generator.cpuMs), generatorWaitPct: pct(generator.waitMs) };
    },
  };
}
