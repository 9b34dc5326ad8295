// Self time per function from a V8 .cpuprofile (what `node --cpu-prof`
// writes): each sample names the node that was on top of the stack, and
// timeDeltas[i + 1] is how long it stayed there. Samples outside the load
// window (start-up, idle tail) are left out when the window is given.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  selfMs: number;
  /** Share of all samples in the window that were not idle. */
  pct: number;
}

/** The repository-relative location of a frame, or the kind of frame V8 gives no script for. */
function whereOf(url: string, line: number, repoRoot: string): string {
  if (url === "") return "(native)";
  const path = url.replace(/^file:\/\//, "").replace(repoRoot + "/", "");
  return `${path}:${line + 1}`;
}

/**
 * The `top` functions by self time. `windowUs` is [from, to] on the
 * monotonic clock of process.hrtime (the one V8 stamps samples with).
 */
export function topSelfTime(profile: CpuProfile, repoRoot: string, top: number, windowUs?: [number, number]): { rows: SelfTime[]; idlePct: number; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let t = profile.startTime;
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (windowUs && (t < windowUs[0] || t > windowUs[1])) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const frame = byId.get(profile.samples[i]!)!.callFrame;
    total += dt;
    if (frame.functionName === "(idle)") {
      idle += dt;
      continue;
    }
    // V8's own entries ("(garbage collector)", "(program)") have no script; unnamed functions do.
    const pseudo = frame.functionName.startsWith("(");
    const name = frame.functionName || "(anonymous)";
    const where = pseudo ? "" : whereOf(frame.url, frame.lineNumber, repoRoot);
    const key = `${name} ${where}`;
    const entry = self.get(key) ?? { name, where, us: 0 };
    entry.us += dt;
    self.set(key, entry);
  }
  const busy = total - idle;
  const rows = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, pct: busy > 0 ? (e.us / busy) * 100 : 0 }));
  return { rows, idlePct: total > 0 ? (idle / total) * 100 : 0, totalMs: total / 1000 };
}

export type { CpuProfile };
