// The top self-time functions of our server (fast path on) under one case:
//   node bench/profile.ts <scenario> <protocol> [top=25]
// e.g. `node bench/profile.ts list-memberships grpc`. Seeds a database as
// `npm run bench` does; prints a table, writes nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { profileCheckAccess } from "./profile-run.ts";
import { seedDatabase } from "./seed.ts";

const [scenario = "check-access", protocol = "grpc", top = "25"] = process.argv.slice(2);
const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), "bench-profile-"));
try {
  const seedDb = join(dir, "seed.db");
  const seed = await seedDatabase(seedDb);
  const seedFile = join(dir, "seed.json");
  writeFileSync(seedFile, JSON.stringify(seed));
  const s = { dir, repoRoot, seed, seedFile, warmupMs: 1000, durationMs: 4000, connections: 16, streams: 10 };
  const r = await profileCheckAccess(s, seedDb, (c) => c.scenario === scenario && c.protocol === protocol, Number(top));
  console.log(`${scenario} ${protocol}: ${r.rps.toFixed(0)} req/s with the profiler on; ${r.totalMs.toFixed(0)} ms sampled, ${r.idlePct.toFixed(0)} % idle`);
  for (const row of r.rows) console.log(`${row.pct.toFixed(1).padStart(5)} %  ${row.name}  ${row.where}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
