// Stops and starts a test PostgreSQL cluster (scripts/test-postgres.ts) in
// place, to take the database away from running servers and give it back on
// the same address. Only for a cluster of a test's own: the run's shared one
// serves every other test file.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { postgresCommand } from "../../scripts/test-postgres.ts";

export interface ClusterControl {
  stop(): void;
  start(): void;
}

export async function controlCluster(url: string, bin: string): Promise<ClusterControl> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const dataDir = (await client.query("SHOW data_directory")).rows[0].data_directory as string;
  await client.end();
  // The postmaster's own command line ("-D" "<dir>" "-c" "…" "-p" "<port>" …), to start it again as it was.
  const args = [...readFileSync(join(dataDir, "postmaster.opts"), "utf8").matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  args.splice(args.indexOf("-D"), 2);
  const asPostgres = process.getuid?.() === 0;
  const pgCtl = (a: string[]) => {
    const [cmd, argv] = postgresCommand(join(bin, "pg_ctl"), a, asPostgres);
    execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], cwd: "/" });
  };
  return {
    stop: () => pgCtl(["-D", dataDir, "-m", "fast", "-w", "stop"]),
    start: () => pgCtl(["-D", dataDir, "-l", join(dataDir, "..", "log"), "-o", args.join(" "), "-w", "-t", "60", "start"]),
  };
}
