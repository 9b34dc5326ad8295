// Crash rounds against the real process, shared by test/storage/crash.test.ts
// (a few kills) and scripts/crash-test.ts (many): a concurrent
// AddProjectMember load over gRPC and Connect, SIGKILL at a random moment,
// then a look at the file and a restart on it. A write counts as acknowledged
// once its response arrived; every acknowledged write must survive the kill.
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

export interface CrashOptions {
  rounds: number;
  /** Users created for each round before the first, one AddProjectMember each at most. */
  usersPerRound: number;
  /** Calls in flight per protocol. */
  inFlight: number;
  onRound?: (round: RoundCheck) => void;
}

/** What one kill and the restart after it showed. */
export interface RoundCheck {
  round: number;
  /** The kill was sent this long after the load started. */
  killedAfterMs: number;
  /** AddProjectMember calls answered OK before the kill, in this round and all earlier ones. */
  acknowledged: number;
  acknowledgedThisRound: number;
  /** Calls that were sent and got no answer: they may or may not have committed. */
  unanswered: number;
  integrity: string;
  /** Acknowledged users without an active membership in the file, or in ListMemberships after the restart. */
  missingOnDisk: string[];
  missingAfterRestart: string[];
  /** Acknowledged details.sequence values with no membership.added event for that membership. */
  sequencesWithoutEvent: number[];
  /** Audit sequences: their count and largest value; no gap means count = max. */
  auditCount: number;
  auditMax: number;
  /** Memberships whose stored last_sequence differs from their newest audit event. */
  staleLastSequence: number;
  /** Memberships with no membership.added event: a half-written write. */
  membershipsWithoutEvent: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function inspectFile(file: string, projectId: string, acked: Map<string, number>) {
  const db = new Database(file); // read-write: replays the WAL the way the next start will
  try {
    const active = new Set(
      db.prepare("SELECT principal_id FROM memberships WHERE project_id = ? AND status = 'active'").pluck().all(projectId) as string[],
    );
    const added = db.prepare(
      `SELECT a.sequence FROM audit_events a JOIN memberships m ON m.id = a.target_id
       WHERE m.project_id = ? AND m.principal_id = ? AND a.action = 'membership.added'`,
    ).pluck();
    const audit = db.prepare("SELECT count(*) AS count, coalesce(max(sequence), 0) AS max FROM audit_events").get() as { count: number; max: number };
    return {
      integrity: db.pragma("integrity_check", { simple: true }) as string,
      missingOnDisk: [...acked.keys()].filter((u) => !active.has(u)),
      sequencesWithoutEvent: [...acked].filter(([u, seq]) => added.get(projectId, u) !== seq).map(([, seq]) => seq),
      auditCount: audit.count,
      auditMax: audit.max,
      staleLastSequence: db.prepare(
        `SELECT count(*) FROM memberships m
         WHERE m.last_sequence <> (SELECT coalesce(max(a.sequence), 0) FROM audit_events a WHERE a.target_id = m.id)`,
      ).pluck().get() as number,
      membershipsWithoutEvent: db.prepare(
        `SELECT count(*) FROM memberships m
         WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.target_id = m.id AND a.action = 'membership.added')`,
      ).pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

async function listMemberUserIds(transport: Transport, projectId: string, headers: Record<string, string>): Promise<Set<string>> {
  const client = createClient(MembershipService, transport);
  const ids = new Set<string>();
  let pageToken = "";
  do {
    const page = await client.listMemberships({ projectId, pageSize: 1000, pageToken }, { headers });
    for (const m of page.memberships) ids.add(m.userId);
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return ids;
}

/** Creates users, `inFlight` at a time. */
async function createUsers(transport: Transport, headers: Record<string, string>, count: number, inFlight: number): Promise<string[]> {
  const users = createClient(UserService, transport);
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        ids.push((await users.createUser({ email: `u${i}@crash.test`, firstName: "C", lastName: String(i) }, { headers })).user!.id);
      }
    }),
  );
  return ids;
}

/**
 * Runs the load until the kill; returns the calls answered OK (user →
 * sequence) and how many were left unanswered. The kill is sent a few
 * milliseconds after a random number of acknowledgements (at least one, at
 * most 90 % of the users), so it always lands while calls are in flight,
 * however fast or loaded the machine is.
 */
async function loadUntilKilled(server: ServerProcess, projectId: string, users: string[], headers: Record<string, string>, inFlight: number) {
  const acked = new Map<string, number>();
  const killAt = 1 + Math.floor(Math.random() * Math.floor(users.length * 0.9));
  let unanswered = 0;
  let kill: Promise<void> | null = null;
  let killed = false;
  const started = performance.now();
  let killedAfterMs = 0;
  const transports = [createGrpcTransport({ baseUrl: server.url }), createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" })];
  let next = 0;
  const workers = transports.flatMap((t) =>
    Array.from({ length: inFlight }, async () => {
      const members = createClient(MembershipService, t);
      while (!killed && next < users.length) {
        const userId = users[next++]!;
        try {
          const res = await members.addProjectMember({ projectId, userId, roles: ["viewer"] }, { headers });
          acked.set(userId, Number(res.details!.sequence));
        } catch {
          unanswered++; // the kill cut the call short; the store may or may not have it
        }
        if (acked.size >= killAt && !kill) {
          kill = sleep(Math.random() * 5).then(() => {
            killedAfterMs = Math.round(performance.now() - started);
            server.child.kill("SIGKILL");
            killed = true;
          });
        }
      }
    }),
  );
  await Promise.all(workers);
  await kill;
  const code = await server.exited;
  if (code !== null) throw new Error(`the server exited by itself (${code}) before the kill: ${server.stderr()}${server.stdout()}`);
  return { acked, unanswered, killedAfterMs };
}

export async function runCrashRounds(o: CrashOptions): Promise<RoundCheck[]> {
  const dir = mkdtempSync(join(tmpdir(), "crash-"));
  const file = join(dir, "m.db");
  const args = ["--port", "0", "--db", file, "--log-level", "error", "--token-file", join(dir, "admin-token")];
  let server: ServerProcess | null = null;
  try {
    server = await startServerProcess(args);
    const headers = { authorization: `Bearer ${readFileSync(join(dir, "admin-token"), "utf8").trim()}` };
    let transport: Transport = createGrpcTransport({ baseUrl: server.url });
    const projectId = (await createClient(ProjectService, transport).createProject({ name: "crash" }, { headers })).project!.id;
    const users = await createUsers(transport, headers, o.rounds * o.usersPerRound, o.inFlight);
    const acked = new Map<string, number>();
    const checks: RoundCheck[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      const mine = users.slice((round - 1) * o.usersPerRound, round * o.usersPerRound);
      const load = await loadUntilKilled(server, projectId, mine, headers, o.inFlight);
      for (const [u, seq] of load.acked) acked.set(u, seq);
      const onDisk = inspectFile(file, projectId, acked);
      server = await startServerProcess(args);
      transport = createGrpcTransport({ baseUrl: server.url });
      const listed = await listMemberUserIds(transport, projectId, headers);
      const check: RoundCheck = {
        round,
        killedAfterMs: load.killedAfterMs,
        acknowledged: acked.size,
        acknowledgedThisRound: load.acked.size,
        unanswered: load.unanswered,
        ...onDisk,
        missingAfterRestart: [...acked.keys()].filter((u) => !listed.has(u)),
      };
      checks.push(check);
      o.onRound?.(check);
    }
    return checks;
  } finally {
    if (server) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
