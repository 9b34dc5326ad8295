// Several real server processes (src/main.ts) on one PostgreSQL database, as
// an operator runs them: the first start bootstraps the database and writes
// the administrator's token, the others find it bootstrapped.
import { Code, ConnectError } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientsFor, createWorld, type Clients, type World } from "./fixtures.ts";
import type { TestServer } from "./server.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

export interface ProcessCluster {
  db: string;
  procs: ServerProcess[];
  /** Native clients of process i (Connect over h2c). */
  on(i: number): Clients;
  /** A test world whose calls go to process 0. */
  world: World;
  /** GET /healthz of process i: its HTTP status. */
  healthz(i: number): Promise<number>;
  close(): Promise<void>;
}

export async function startProcessCluster(db: string, n: number, extraArgs: string[] = []): Promise<ProcessCluster> {
  const dir = mkdtempSync(join(tmpdir(), "membership-cluster-"));
  const tokenFile = join(dir, "admin-token");
  const args = ["--db", db, "--port", "0", "--log-level", "warn", "--token-file", tokenFile, "--db-pool-size", "4", "--auth-fail-budget", "0", ...extraArgs];
  const procs: ServerProcess[] = [];
  const stopAll = async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => p.exited));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    procs.push(await startServerProcess(args));
    procs.push(...(await Promise.all(Array.from({ length: n - 1 }, () => startServerProcess(args)))));
  } catch (err) {
    await stopAll();
    throw err;
  }
  const clients = procs.map((p) => clientsFor(createConnectTransport({ baseUrl: p.url, httpVersion: "2" })));
  const adminToken = readFileSync(tokenFile, "utf8").trim();
  const ts = { url: procs[0]!.url, adminToken, close: async () => {} } as unknown as TestServer;
  const world = await createWorld(ts);
  return {
    db,
    procs,
    on: (i) => clients[i]!,
    world,
    healthz: async (i) => (await fetch(`${procs[i]!.url}/healthz`)).status,
    close: stopAll,
  };
}

/** Polls `check` until it is true; fails after `timeoutMs` naming `what`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Users of the world's organization, made through process 0, without tokens. */
export async function makeUsers(c: ProcessCluster, n: number): Promise<string[]> {
  const tag = Math.random().toString(36).slice(2, 8);
  return Promise.all(
    Array.from({ length: n }, async (_, k) => (await c.world.c.users.createUser({ firstName: `load${k}`, lastName: tag, email: `load${k}.${tag}@example.com` }, c.world.admin)).user!.id),
  );
}

export interface Load {
  /** Users whose AddProjectMember was acknowledged, and by which process. */
  acked: { userId: string; proc: number; at: number }[];
  failures: { proc: number; code: number; message: string }[];
  /** Stops taking new users and waits for the calls under way. */
  stop(): Promise<void>;
}

/**
 * Adds `userIds` to the world's project, one call at a time per process of
 * `procs`, until stopped or none are left. A user whose call answered
 * UNAVAILABLE goes back in the queue, so an outage does not use them up.
 */
export function addMembersUnderLoad(c: ProcessCluster, procs: number[], userIds: string[]): Load {
  const load: Load = { acked: [], failures: [], stop: async () => {} };
  const queue = [...userIds];
  let stopped = false;
  const alive = (proc: number) => c.procs[proc]!.child.exitCode === null && c.procs[proc]!.child.signalCode === null;
  const worker = async (proc: number) => {
    for (let userId = queue.shift(); userId !== undefined && !stopped && alive(proc); userId = queue.shift()) {
      try {
        await c.on(proc).members.addProjectMember({ projectId: c.world.projectId, userId }, c.world.admin);
        load.acked.push({ userId, proc, at: Date.now() });
      } catch (err) {
        const e = ConnectError.from(err);
        load.failures.push({ proc, code: e.code, message: e.rawMessage });
        if (e.code === Code.Unavailable) queue.push(userId);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const workers = procs.map(worker);
  load.stop = async () => {
    stopped = true;
    await Promise.all(workers);
  };
  return load;
}

/** User ids of the memberships of the world's project, read through process i. */
export async function memberIds(c: ProcessCluster, i: number): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let pageToken = ""; ; ) {
    const page = await c.on(i).members.listMemberships({ projectId: c.world.projectId, pageSize: 500, pageToken }, c.world.admin);
    for (const m of page.memberships) ids.add(m.userId);
    if (!page.nextPageToken) return ids;
    pageToken = page.nextPageToken;
  }
}
