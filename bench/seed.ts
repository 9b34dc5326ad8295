// Builds the one database every benchmarked server starts from, through the
// domain services (so the rows, ids and audit trail are what the server
// itself would have written). Written on tmpfs where fsync is free, then
// checkpointed and closed; each server gets its own copy of the file.
//
// Shape: 1 organization, 20 projects, 10,000 users, 1,000 identities.
// Project 0 holds all 10,000 users (one membership per user and project, so a
// 10k-member project needs 10k principals); projects 1-19 hold the 1,000
// identities (each in one project). The caller of every benchmark is a user
// with ORG_OWNER, not the instance administrator, whose checks short-cut.
import { permanent } from "../src/access/role-assignment.ts";
import { createServices } from "../src/app.ts";
import { bootstrapIfEmpty } from "../src/tokens/bootstrap-admin.ts";
import { createChangeNotifier } from "../src/audit/change-notifier.ts";
import { systemClock } from "../src/kernel/clock.ts";
import type { CallContext, Deps } from "../src/kernel/deps.ts";
import { createIdGenerator } from "../src/kernel/ids.ts";
import { openStore } from "../src/store/open-store.ts";
import { createAuthenticator } from "../src/access/authenticator.ts";
import { createLogger } from "../src/logger.ts";

export interface SeedInfo {
  /** Bearer secret of the benchmark caller (ORG_OWNER of the organization). */
  token: string;
  organizationId: string;
  /** projects[0] is the 10k-member project. */
  projects: string[];
  users: string[];
  identities: string[];
  /** The project each identity is a member of (as "viewer"). */
  identityProject: string[];
}

export const SHAPE = { projects: 20, users: 10_000, identities: 1_000 };

/** Seeds a SQLite file or, given a postgres:// URL, an empty PostgreSQL database. */
export async function seedDatabase(path: string, shape = SHAPE): Promise<SeedInfo> {
  const store = await openStore(path);
  const deps: Deps = { store, clock: systemClock, ids: createIdGenerator(), changes: createChangeNotifier() };
  try {
    const boot = await bootstrapIfEmpty(deps, { orgName: "Bench organization", adminEmail: "admin@localhost" });
    if (!boot) throw new Error(`${path} is not empty`);
    const s = createServices(deps);
    const auth = createAuthenticator({ repos: store.read, clock: systemClock, log: createLogger("silent") });
    const as = (secret: string, id: string): Promise<CallContext> =>
      auth.callContext({ get: (h) => (h === "authorization" ? `Bearer ${secret}` : null) }, id);
    const admin = await as(boot.secret, "seed");

    const caller = await s.users.create(admin, { email: "caller@bench.test", firstName: "Bench", lastName: "Caller" });
    await s.orgMembers.add(admin, { principal: { type: "user", id: caller.id }, roles: ["ORG_OWNER"] });
    const { secret: token } = await s.tokens.create(admin, { principalType: "user", principalId: caller.id, expiresAt: null, description: "bench" });

    const projects: string[] = [];
    for (let p = 0; p < shape.projects; p++) projects.push((await s.projects.create(admin, { name: `Project ${p}`, description: "" })).id);
    const users: string[] = [];
    for (let u = 0; u < shape.users; u++) {
      const user = await s.users.create(admin, { email: `user${u}@bench.test`, firstName: "User", lastName: String(u) });
      users.push(user.id);
      const roles = [permanent(u % 2 === 0 ? "member" : "viewer")];
      await s.memberships.addProjectMember(admin, { projectId: projects[0]!, userId: user.id, roles });
    }
    const identities: string[] = [];
    const identityProject: string[] = [];
    for (let i = 0; i < shape.identities; i++) {
      const identity = await s.identities.create(admin, { name: `robot-${i}` });
      const projectId = projects[1 + (i % (shape.projects - 1))]!;
      identities.push(identity.id);
      identityProject.push(projectId);
      await s.memberships.createIdentityMembership(admin, { projectId, identityId: identity.id, roles: [permanent("viewer")] });
    }
    return { token, organizationId: boot.organizationId, projects, users, identities, identityProject };
  } finally {
    // Closing the last connection checkpoints the WAL into the main file, so one file is the whole database.
    await store.end();
  }
}
