// A throwaway PostgreSQL server for the tests: Debian's binaries
// (postgresql-15 or newer), a cluster made by initdb in a temporary folder,
// listening on a free loopback port with its socket in that folder, stopped
// and removed at the end. PostgreSQL refuses to run as root, so under root
// the cluster belongs to the `postgres` user and every binary runs as it.
// Durability is off (fsync, full pages): the data dies with the run anyway.
//
// Run alone to try it: node scripts/test-postgres.ts (prints the URL, stops on Ctrl-C).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres: the maintenance database, for CREATE DATABASE. */
  url: string;
  stop(): void;
}

/** The folder of pg_ctl and initdb: PATH first, then the newest Debian version. */
export function findPostgresBin(): string | null {
  const onPath = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" }).stdout.trim();
  if (onPath && existsSync(join(onPath, "..", "initdb"))) return join(onPath, "..");
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, "bin") : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Stops the cluster and removes its folder once this process is gone, however
 * it ends (a test run killed mid-way cannot call stop()): a detached shell
 * that outlives it and polls for it.
 */
function stopWhenGone(stopArgs: string[], dir: string): void {
  const quoted = [...stopArgs, "-D", join(dir, "data"), "-m", "immediate", "-w", "stop"].map((a) => `'${a}'`).join(" ");
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; ${quoted} >/dev/null 2>&1; rm -rf '${dir}'`;
  spawn("sh", ["-c", script], { detached: true, stdio: "ignore", cwd: "/" }).unref();
}

/** util-linux's runuser: on PATH, or in the sbin folders a root shell has but a minimal PATH may lack. */
function runuser(): string {
  const onPath = spawnSync("sh", ["-c", "command -v runuser"], { encoding: "utf8" }).stdout.trim();
  return onPath || ["/usr/sbin/runuser", "/sbin/runuser"].find((p) => existsSync(p)) || "runuser";
}

/** The command that runs a PostgreSQL binary, as the postgres user when we are root (PostgreSQL refuses root). */
export function postgresCommand(bin: string, args: string[], asPostgres: boolean): [string, string[]] {
  return asPostgres ? [runuser(), ["-u", "postgres", "--", bin, ...args]] : [bin, args];
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runAs(bin: string, args: string[], asPostgres: boolean): void {
  const [cmd, argv] = postgresCommand(bin, args, asPostgres);
  execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], cwd: "/" });
}

export async function startTestPostgres(bin: string): Promise<TestPostgres> {
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "membership-pg-"));
  const data = join(dir, "data");
  if (asPostgres) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    runAs(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], asPostgres);
    // A port taken between the probe and the start: try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300`;
      try {
        runAs(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "log"), "-o", opts, "-w", "-t", "30", "start"], asPostgres);
      } catch (err) {
        if (attempt < 3) continue;
        throw err;
      }
      stopWhenGone(postgresCommand(join(bin, "pg_ctl"), [], asPostgres).flat(), dir);
      let stopped = false;
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        stop() {
          if (stopped) return;
          stopped = true;
          try {
            runAs(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres);
          } finally {
            remove();
          }
        },
      };
    }
  } catch (err) {
    remove();
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not start a test PostgreSQL: ${stderr || (err as Error).message}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bin = findPostgresBin();
  if (!bin) throw new Error("no PostgreSQL binaries found (apt-get install postgresql)");
  const pg = await startTestPostgres(bin);
  console.log(pg.url);
  process.on("SIGINT", () => {
    pg.stop();
    process.exit(0);
  });
  setInterval(() => {}, 1 << 30);
}
