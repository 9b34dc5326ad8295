// A --cpu-prof run of our server (fast path on) under one case's load
// (CheckAccess gRPC for the report): the profile is written when the process
// exits; only samples taken after the run's warm-up, while the load ran, are
// counted.
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CASES, TARGETS } from "./cases.ts";
import { topSelfTime, type CpuProfile } from "./cpu-profile.ts";
import { runOnce, type RunSettings } from "./measure.ts";
import { startServer, stopProcess } from "./proc.ts";

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

type Pick = (c: (typeof CASES)[number]) => boolean;
const checkAccessGrpc: Pick = (c) => c.scenario === "check-access" && c.protocol === "grpc" && c.generator === "h2load";

export async function profileCheckAccess(s: RunSettings, seedDb: string, pick: Pick = checkAccessGrpc, top = 10) {
  const dir = join(s.dir, "cpuprof");
  mkdirSync(dir, { recursive: true });
  const db = join(s.dir, "profile.db");
  copyFileSync(seedDb, db);
  const args = ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "--cpu-prof", `--cpu-prof-dir=${dir}`, ...TARGETS.on.args(db, join(s.dir, "profile-token"))];
  const server = await startServer("profiled", args, null, s.repoRoot);
  const target = { server, cursors: { members: 0, identities: 0 } };
  const k = CASES.find((c) => pick(c) && !c.bound)!;
  try {
    const from = nowUs() + s.warmupMs * 1000;
    const r = await runOnce(k, target, s);
    const to = nowUs();
    await stopProcess(server.child);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error("the server wrote no .cpuprofile");
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
    let rows = topSelfTime(profile, s.repoRoot, top, [from, to]);
    // Should the profiler's clock not be process.hrtime's, count every sample instead.
    if (rows.totalMs === 0) rows = topSelfTime(profile, s.repoRoot, top);
    return { ...rows, rps: r.rps };
  } finally {
    await stopProcess(server.child);
  }
}
