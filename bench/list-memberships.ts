// ListMemberships at the storage layer: µs per page of 50 (51 rows fetched,
// as the domain's page() asks) from the read connection. Not part of the test run:
//   node bench/list-memberships.ts [rounds=20]
// Seeds a temp file the way the figures in bench/README.md were taken: 1 org,
// 20 projects, 1 000 users, 10 000 memberships (each user in 10 projects, one
// in five also holding a custom role), one audit event per membership and a
// second one for every third.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdGenerator } from "../src/kernel/ids.ts";
import type { MembershipFilter } from "../src/kernel/store.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";

const rounds = Number(process.argv[2] ?? 20);
const dir = mkdtempSync(join(tmpdir(), "bench-list-"));
const store = openSqliteStore(join(dir, "b.db"));
const ids = createIdGenerator();
const now = Date.now();
const projects: string[] = [];

await store.write(async (tx) => {
  const org = ids.next();
  await tx.orgs.insert({ id: org, name: "bench", slug: "bench", createdAt: now });
  const users = Array.from({ length: 1000 }, () => ids.next());
  for (const [i, id] of users.entries()) {
    await tx.users.insert({ id, organizationId: org, email: `u${i}@b.test`, firstName: "U", lastName: String(i), isInstanceAdmin: false, createdAt: now });
  }
  for (let p = 0; p < 20; p++) {
    const projectId = ids.next();
    projects.push(projectId);
    await tx.projects.insert({ id: projectId, organizationId: org, name: `p${p}`, description: "", createdAt: now });
    const custom = ids.next();
    await tx.roles.insert({ id: custom, projectId, slug: "ops", name: "Ops", description: "", permissions: ["project.read"], createdAt: now, updatedAt: now });
    for (let k = 0; k < 500; k++) {
      const userId = users[(p * 50 + k) % users.length]!;
      const id = ids.next();
      await tx.memberships.insert({
        id, projectId, organizationId: org, principalType: "user", principalId: userId, status: "active",
        invitedAt: null, activatedAt: now, suspendedAt: null, deactivatedAt: null, createdAt: now, updatedAt: now,
      });
      const role = (roleId: string, name: string, customRoleId: string | null) => ({
        id: roleId, membershipId: id, role: name, customRoleId, isTemporary: false, temporaryMode: null,
        temporaryRange: null, startAt: null, endAt: null, createdAt: now, updatedAt: now,
      });
      await tx.memberships.replaceRoles(id, k % 5 === 0 ? [role(ids.next(), "viewer", null), role(ids.next(), "ops", custom)] : [role(ids.next(), "viewer", null)]);
      for (let e = 0; e < (k % 3 === 0 ? 2 : 1); e++) {
        await tx.audit.append({
          time: now, organizationId: org, projectId, actorType: "system", actorId: "system", action: "membership.added",
          targetType: "membership", targetId: id, requestId: "", before: null, after: null,
        });
      }
    }
  }
});

const filter: MembershipFilter = { role: "", principalType: null, statuses: ["active", "invited", "suspended"], emailPrefix: "" };
let pages = 0;
let rows = 0;
const list = (projectId: string) => {
  // Every page of the project, keyset after keyset, as a client paging through would.
  let after: string | null = null;
  for (;;) {
    const got = store.read.memberships.list(projectId, filter, { after, limit: 51 }) as { id: string }[];
    pages++;
    rows += Math.min(got.length, 50);
    if (got.length <= 50) return;
    after = got[49]!.id;
  }
};
for (const p of projects) list(p); // warm-up
pages = rows = 0;
// CPU time as well as wall time: on a shared machine the CPU figure moves less.
const cpu = () => process.cpuUsage().user + process.cpuUsage().system;
const started = performance.now();
const cpuStarted = cpu();
for (let r = 0; r < rounds; r++) for (const p of projects) list(p);
const us = ((performance.now() - started) * 1000) / pages;
const cpuUs = (cpu() - cpuStarted) / pages;
console.log(`ListMemberships page of 50: ${us.toFixed(1)} µs per page, ${cpuUs.toFixed(1)} µs CPU (${pages} pages, ${rows} rows)`);
store.close();
rmSync(dir, { recursive: true, force: true });
