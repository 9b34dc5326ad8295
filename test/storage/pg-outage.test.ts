// PostgreSQL stopped and started again under load, on a cluster of this test
// file's own (the run's shared one serves the other files): both server
// processes report NOT_SERVING on grpc.health.v1 and /healthz, calls answer
// UNAVAILABLE with a plain message, and once the database is back the servers
// serve again without a restart, with nothing acknowledged lost and nothing
// half-written.
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";
import { findPostgresBin, startTestPostgres, type TestPostgres } from "../../scripts/test-postgres.ts";
import { controlCluster, type ClusterControl } from "../helpers/pg-cluster-control.ts";
import { addMembersUnderLoad, eventually, makeUsers, memberIds, startProcessCluster, type ProcessCluster } from "../helpers/process-cluster.ts";

const bin = findPostgresBin();
let own: TestPostgres | undefined;
let control: ClusterControl;
let cluster: ProcessCluster | undefined;

beforeAll(async () => {
  if (!bin) return;
  own = await startTestPostgres(bin);
  control = await controlCluster(own.url, bin);
  const admin = new pg.Client({ connectionString: own.url });
  await admin.connect();
  await admin.query("CREATE DATABASE outage");
  await admin.end();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
  own?.stop();
}, 60_000);

describe.skipIf(!bin)("PostgreSQL stopped and started again under load", () => {
  it("servers report NOT_SERVING, answer UNAVAILABLE, then recover on their own", { timeout: 240_000 }, async () => {
    const url = new URL(own!.url);
    url.pathname = "/outage";
    cluster = await startProcessCluster(url.toString(), 2);
    const c = cluster;
    const health = [0, 1].map((i) => createClient(Health, createConnectTransport({ baseUrl: c.procs[i]!.url, httpVersion: "2" })));
    const statuses = async () => Promise.all(health.map(async (h) => (await h.check({})).status));
    expect(await statuses()).toEqual([Status.SERVING, Status.SERVING]);

    const users = await makeUsers(c, 80);
    const load = addMembersUnderLoad(c, [0, 1], users);
    await eventually("both processes acknowledged a write", async () => [0, 1].every((p) => load.acked.some((a) => a.proc === p)));

    control.stop();
    await eventually("both report NOT_SERVING", async () => (await statuses()).every((s) => s === Status.NOT_SERVING));
    expect([await c.healthz(0), await c.healthz(1)]).toEqual([503, 503]);
    const failed = await c.on(1).members.listMemberships({ projectId: c.world.projectId }, c.world.admin).then(() => null, (e: unknown) => e as Error & { code: Code; rawMessage: string });
    expect(failed?.code).toBe(Code.Unavailable);
    // The load's failures during the outage: UNAVAILABLE, in words meant for a client.
    for (const f of [...load.failures, { code: failed!.code, message: failed!.rawMessage }]) {
      expect(f.code).toBe(Code.Unavailable);
      expect(f.message).not.toMatch(/select|insert|update |postgres:\/\/|127\.0\.0\.1|\n\s+at /i);
    }

    control.start();
    await eventually("both report SERVING again", async () => (await statuses()).every((s) => s === Status.SERVING), 60_000);
    expect([await c.healthz(0), await c.healthz(1)]).toEqual([200, 200]);
    const resumedAt = Date.now();
    await eventually("both acknowledge writes again", async () => [0, 1].every((p) => load.acked.some((a) => a.proc === p && a.at > resumedAt)), 60_000);
    await load.stop();

    const members = await memberIds(c, 0);
    for (const a of load.acked) expect(members.has(a.userId)).toBe(true);
    // Nothing half-written: every membership has its audit event, and the chain verifies.
    const events = await c.world.c.audit.listAuditEvents({ projectId: c.world.projectId, pageSize: 1000 }, c.world.admin);
    expect(events.events.filter((e) => e.action === "membership.added")).toHaveLength(members.size);
    expect((await c.on(1).audit.verifyAuditChain({}, c.world.admin)).ok).toBe(true);
  });
});
