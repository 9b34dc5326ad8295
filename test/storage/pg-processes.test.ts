// Two and three server processes on one PostgreSQL database: writes spread
// over all of them reach the watch streams of every other one, each event
// once and in sequence order; uniqueness holds across processes; what one
// process revokes or removes takes effect on the others at the next call.
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { freshPgDatabase, testPgUrl } from "../helpers/postgres.ts";
import { addMembersUnderLoad, eventually, makeUsers, memberIds, startProcessCluster, type ProcessCluster } from "../helpers/process-cluster.ts";
import { auth } from "../helpers/server.ts";

let cluster: ProcessCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
}, 60_000);

/** Collects membership events of the project on process i from `after` until `count` arrived. */
function watchOn(c: ProcessCluster, i: number, projectId: string, after: bigint, count: number) {
  const ac = new AbortController();
  const sequences: bigint[] = [];
  const done = (async () => {
    for await (const msg of c.on(i).members.watchMemberships({ projectId, afterSequence: after }, { ...c.world.admin, signal: ac.signal })) {
      sequences.push(msg.event!.sequence);
      if (sequences.length === count) break;
    }
    return sequences;
  })();
  return { done, sequences, stop: () => ac.abort() };
}

/** "ok", or the code the call failed with. */
const codeOf = (call: Promise<unknown>) => call.then(() => "ok" as const, (err: unknown) => ConnectError.from(err).code);

const latestSequence = async (c: ProcessCluster) => (await c.world.c.audit.listAuditEvents({ pageSize: 1000 }, c.world.admin)).events.at(-1)!.sequence;

// Each test starts its own processes: seconds on a quiet machine, far more on a loaded one.
describe.skipIf(!testPgUrl)("several server processes on one PostgreSQL database", { timeout: 180_000 }, () => {
  it.each([2, 3])("with %i processes, every watcher sees every write once, in sequence order", async (n) => {
    cluster = await startProcessCluster(await freshPgDatabase(), n);
    const c = cluster;
    const users = await Promise.all(Array.from({ length: 12 }, () => c.world.newUser()));
    const from = await latestSequence(c);
    const watchers = Array.from({ length: n }, (_, i) => watchOn(c, i, c.world.projectId, from, users.length));
    // Writes spread over every process, side by side; the last ones all go to process 0, so a
    // watcher elsewhere that only woke on its own process's writes would wait for them forever.
    const acked = await Promise.all(
      users.map((u, k) => c.on(k < users.length - 3 ? k % n : 0).members.addProjectMember({ projectId: c.world.projectId, userId: u.id }, c.world.admin)),
    );
    const expected = acked.map((r) => r.details!.sequence).sort((a, b) => (a < b ? -1 : 1));
    for (const w of watchers) expect(await w.done).toEqual(expected);
  });

  it("50 identical AddProjectMember calls across three processes: one succeeds, the others are ALREADY_EXISTS", async () => {
    cluster = await startProcessCluster(await freshPgDatabase(), 3);
    const c = cluster;
    const user = await c.world.newUser();
    const codes = await Promise.all(
      Array.from({ length: 50 }, (_, k) => codeOf(c.on(k % 3).members.addProjectMember({ projectId: c.world.projectId, userId: user.id }, c.world.admin))),
    );
    expect(codes.filter((x) => x === "ok")).toHaveLength(1);
    expect(codes.filter((x) => x === Code.AlreadyExists)).toHaveLength(49);
    const listed = await c.on(1).members.listMemberships({ projectId: c.world.projectId }, c.world.admin);
    expect(listed.memberships.filter((m) => m.userId === user.id)).toHaveLength(1);
  });

  it("a token revoked and a membership removed on one process take effect on the other at the next call", async () => {
    cluster = await startProcessCluster(await freshPgDatabase(), 2);
    const c = cluster;
    const user = await c.world.newUser();
    await c.world.c.members.addProjectMember({ projectId: c.world.projectId, userId: user.id, roles: ["member"] }, c.world.admin);
    const listOnB = () => c.on(1).members.listMemberships({ projectId: c.world.projectId }, user.as);
    const allowedOnB = async () => (await c.on(1).members.checkAccess({ projectId: c.world.projectId, subject: { case: "userId", value: user.id }, permission: "project.member.read" }, c.world.admin)).allowed;
    // Warm whatever process B could keep: the user's token, roles and permissions are used there first.
    expect(await codeOf(listOnB())).toBe("ok");
    expect(await allowedOnB()).toBe(true);

    await c.on(0).members.removeProjectMember({ projectId: c.world.projectId, userId: user.id }, c.world.admin);
    expect(await allowedOnB()).toBe(false);
    expect(await codeOf(listOnB())).toBe(Code.PermissionDenied);

    const second = await c.world.c.tokens.createToken({ principal: { case: "userId", value: user.id } }, c.world.admin);
    expect(await codeOf(c.on(1).projects.listProjects({}, auth(second.secret)))).toBe("ok");
    await c.on(0).tokens.revokeToken({ tokenId: second.token!.id }, c.world.admin);
    expect(await codeOf(c.on(1).projects.listProjects({}, auth(second.secret)))).toBe(Code.Unauthenticated);
  });

  it("a process killed with SIGKILL under load: the others keep serving and nothing acknowledged is lost", async () => {
    cluster = await startProcessCluster(await freshPgDatabase(), 3);
    const c = cluster;
    const users = await makeUsers(c, 60);
    const load = addMembersUnderLoad(c, [0, 1, 2], users);
    await eventually("each process acknowledged a write", async () => [0, 1, 2].every((p) => load.acked.some((a) => a.proc === p)));
    c.procs[2]!.child.kill("SIGKILL");
    await c.procs[2]!.exited;
    const killedAt = Date.now();
    await eventually("the others acknowledged more writes", async () => [0, 1].every((p) => load.acked.some((a) => a.proc === p && a.at > killedAt)));
    await load.stop();
    // Each acknowledged membership is there, through either survivor; the trail still verifies.
    for (const p of [0, 1]) {
      const members = await memberIds(c, p);
      for (const a of load.acked) expect(members.has(a.userId)).toBe(true);
      expect(await c.healthz(p)).toBe(200);
    }
    expect((await c.on(1).audit.verifyAuditChain({}, c.world.admin)).ok).toBe(true);
  });
});
