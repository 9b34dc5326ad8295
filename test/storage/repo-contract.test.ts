// The repository contract, the same on every store (test/helpers/stores.ts):
// what each repository stores comes back as the same records, in the same
// order, paged the same way; LIKE wildcards in a prefix are literal; a write
// that throws leaves nothing behind and its neighbours untouched; a duplicate
// is the domain's ALREADY_EXISTS; the audit trail chains and stamps; the
// lifecycle's updates, deletions and the lists its cascades walk.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/audit/audit-chain.ts";
import { DomainError } from "../../src/kernel/errors.ts";
import type { AuditRecord, MembershipRecord, UserRecord } from "../../src/kernel/records.ts";
import type { Store } from "../../src/kernel/store.ts";
import { STORES } from "../helpers/stores.ts";

const T = 1_700_000_000_123;
const user = (id: string, email: string, org = "o1"): UserRecord => ({ id, organizationId: org, email, firstName: `F${id}`, lastName: "L", isInstanceAdmin: false, createdAt: T });
const membership = (id: string, principalId: string, status: MembershipRecord["status"] = "active"): MembershipRecord => ({
  id, projectId: "p1", organizationId: "o1", principalType: "user", principalId, status,
  invitedAt: null, activatedAt: T, suspendedAt: null, deactivatedAt: null, createdAt: T, updatedAt: T + 1,
});
const event = (targetType: string, targetId: string, action = `${targetType}.changed`): Omit<AuditRecord, "sequence"> => ({
  time: T, organizationId: "o1", projectId: "p1", actorType: "system", actorId: "system", action,
  targetType, targetId, requestId: "r", before: null, after: { n: 1, s: "é" },
});
const page = (after: string | null, limit: number) => ({ after, limit });
const ALL = ["active", "invited", "suspended", "deactivated"] as const;

describe.each(STORES)("repositories on $name", (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await kind.open());
    await store.write(async (tx) => {
      await tx.orgs.insert({ id: "o1", name: "One", slug: "one", createdAt: T });
      await tx.orgs.insert({ id: "o2", name: "Two", slug: "two", createdAt: T });
      await tx.projects.insert({ id: "p1", organizationId: "o1", name: "P", description: "", createdAt: T });
    });
  });
  afterEach(() => close());

  it("pages organizations by id, optionally among given ids, and counts them", async () => {
    expect((await store.read.orgs.list(page(null, 1), null)).map((o) => o.id)).toEqual(["o1"]);
    expect((await store.read.orgs.list(page("o1", 10), null)).map((o) => o.id)).toEqual(["o2"]);
    expect((await store.read.orgs.list(page(null, 10), ["o2", "zz"])).map((o) => o.id)).toEqual(["o2"]);
    expect(await store.read.orgs.count()).toBe(2);
    expect(await store.read.orgs.get("o1")).toEqual({ id: "o1", name: "One", slug: "one", createdAt: T });
    expect(await store.read.orgs.get("nope")).toBeNull();
  });

  it("finds users by email ignoring case and matches a prefix with wildcards literally", async () => {
    await store.write(async (tx) => {
      for (const u of [user("u1", "A_b@x.test"), user("u2", "axb@x.test"), user("u3", "a%c@x.test"), user("u4", "B@x.test")]) await tx.users.insert(u);
    });
    expect(await store.read.users.findByEmail("o1", "a_B@X.test")).toEqual(user("u1", "A_b@x.test"));
    expect((await store.read.users.list("o1", page(null, 10), "a_")).map((u) => u.id)).toEqual(["u1"]);
    expect((await store.read.users.list("o1", page(null, 10), "A%")).map((u) => u.id)).toEqual(["u3"]);
    expect((await store.read.users.list("o1", page("u1", 2), "")).map((u) => u.id)).toEqual(["u2", "u3"]);
  });

  it("keeps a write that resolves and undoes one that throws, alone", async () => {
    const ok = store.write(async (tx) => tx.users.insert(user("u1", "a@x.test")));
    const failed = store.write(async (tx) => {
      await tx.users.insert(user("u2", "b@x.test"));
      throw new Error("changed my mind");
    });
    await expect(failed).rejects.toThrow("changed my mind");
    await ok;
    expect(await store.read.users.get("u1")).not.toBeNull();
    expect(await store.read.users.get("u2")).toBeNull();
  });

  it("reports a duplicate unique key as ALREADY_EXISTS, never as SQL", async () => {
    await store.write(async (tx) => tx.users.insert(user("u1", "a@x.test")));
    const err = await store.write(async (tx) => tx.users.insert(user("u9", "A@x.test"))).catch((e: unknown) => e);
    if (kind.name === "sqlite") return; // SQLite serializes writes: the domain's own check runs first there.
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("already_exists");
    expect((err as DomainError).message).not.toMatch(/INSERT|users_|constraint/i);
  });

  it("stores memberships with roles, lists them with filters and searches users by text", async () => {
    await store.write(async (tx) => {
      await tx.users.insert(user("u1", "ann@x.test"));
      await tx.users.insert(user("u2", "bob@x.test"));
      await tx.identities.insert({ id: "i1", organizationId: "o1", name: "bot", createdAt: T });
      await tx.roles.insert({ id: "c1", projectId: "p1", slug: "viewer", name: "Viewer", description: "", permissions: ["a"], createdAt: T, updatedAt: T });
      await tx.memberships.insert(membership("m1", "u1"));
      await tx.memberships.insert(membership("m2", "u2", "suspended"));
      await tx.memberships.insert({ ...membership("m3", "i1"), principalType: "identity" });
      await tx.memberships.replaceRoles("m1", [
        { id: "r2", membershipId: "m1", role: "viewer", customRoleId: "c1", isTemporary: true, temporaryMode: "relative", temporaryRange: "P1D", startAt: T, endAt: T + 86_400_000, createdAt: T, updatedAt: T },
        { id: "r1", membershipId: "m1", role: "admin", customRoleId: null, isTemporary: false, temporaryMode: null, temporaryRange: null, startAt: null, endAt: null, createdAt: T, updatedAt: T },
      ]);
    });
    const m1 = (await store.read.memberships.find("p1", "user", "u1"))!;
    expect(m1.roles.map((r) => [r.id, r.customRoleName, r.isTemporary])).toEqual([["r1", null, false], ["r2", "Viewer", true]]);
    expect(m1.user).toEqual({ id: "u1", email: "ann@x.test", firstName: "Fu1", lastName: "L", organizationId: "o1" });
    expect(m1.updatedAt).toBe(T + 1);
    const list = (f: Partial<Parameters<Store["read"]["memberships"]["list"]>[1]>, after: string | null = null) =>
      store.read.memberships.list("p1", { role: "", principalType: null, statuses: [...ALL], emailPrefix: "", ...f }, page(after, 10));
    expect((await list({})).map((m) => m.id)).toEqual(["m1", "m2", "m3"]);
    expect((await list({}, "m1")).map((m) => m.id)).toEqual(["m2", "m3"]);
    expect((await list({ role: "admin" })).map((m) => m.id)).toEqual(["m1"]);
    expect((await list({ principalType: "identity" })).map((m) => m.identity?.name)).toEqual(["bot"]);
    expect((await list({ statuses: ["suspended"] })).map((m) => m.id)).toEqual(["m2"]);
    expect((await list({ emailPrefix: "BO" })).map((m) => m.id)).toEqual(["m2"]);
    const search = await store.read.memberships.searchUsers("p1", {
      offset: 0, limit: 1, asc: false, statuses: [...ALL], queries: [{ field: "email", match: "ends_with", ignoreCase: true, value: "X.TEST" }],
    });
    expect([search.total, search.rows.map((m) => m.id)]).toEqual([2, ["m2"]]);
    const inOrg = await store.read.memberships.listInOrganization("o1", { principalType: "user", statuses: ["active"], projectIds: null, principalIds: ["u1", "u2"], roles: ["viewer"] });
    expect(inOrg.map((m) => m.id)).toEqual(["m1"]);
    expect(await store.read.roles.assignmentCount("c1")).toBe(1);
    expect((await store.read.projects.listForMember("o1", "user", "u1", page(null, 10))).map((p) => p.id)).toEqual(["p1"]);
  });

  it("keeps org roles, tokens by hash and their revocation", async () => {
    await store.write(async (tx) => {
      await tx.orgMembers.add("o1", "user", "u1", "owner", T);
      await tx.orgMembers.add("o1", "user", "u1", "owner", T);
      await tx.orgMembers.add("o1", "user", "u1", "admin", T);
      await tx.orgMembers.add("o1", "identity", "i1", "viewer", T);
      await tx.tokens.insert({ id: "t1", organizationId: "o1", principalType: "user", principalId: "u1", description: "d", createdAt: T, expiresAt: null, revokedAt: null }, Buffer.from([1, 2, 3]));
    });
    expect(await store.read.orgMembers.rolesOf("o1", "user", "u1")).toEqual(["admin", "owner"]);
    expect(await store.read.orgMembers.listPrincipals("o1", page(null, 10))).toEqual([{ principalType: "identity", principalId: "i1" }, { principalType: "user", principalId: "u1" }]);
    expect(await store.read.orgMembers.orgsOf("user", "u1")).toEqual(["o1"]);
    expect((await store.read.tokens.findByHash(Buffer.from([1, 2, 3])))?.id).toBe("t1");
    await store.write(async (tx) => tx.tokens.revoke("t1", T + 5));
    expect((await store.read.tokens.get("t1"))?.revokedAt).toBe(T + 5);
    expect(await store.write(async (tx) => tx.orgMembers.removeAll("o1", "user", "u1"))).toBe(2);
  });

  it("appends audit events in sequence, stamps memberships, filters and chains them", async () => {
    await store.write(async (tx) => {
      await tx.users.insert(user("u1", "a@x.test"));
      await tx.memberships.insert(membership("m1", "u1"));
    });
    const seqs = await store.write(async (tx) => [await tx.audit.append(event("membership", "m1")), await tx.audit.append(event("user", "u1", "user.created"))]);
    await expect(store.write(async (tx) => { await tx.audit.append(event("user", "u1")); throw new Error("no"); })).rejects.toThrow();
    const third = await store.write(async (tx) => tx.audit.append(event("membership", "m1", "membership.removed")));
    expect([...seqs, third]).toEqual([1, 2, 3]);
    expect((await store.read.memberships.get("m1"))!.lastSequence).toBe(3);
    const f = { projectId: "", actorId: "", targetId: "", action: "", actionPrefix: "membership.", startTime: null, endTime: null };
    expect((await store.read.audit.list("o1", f, 0, 10)).map((e) => e.sequence)).toEqual([1, 3]);
    expect((await store.read.audit.list("o1", { ...f, actionPrefix: "", startTime: T, endTime: T + 1 }, 1, 10)).map((e) => e.after)).toEqual([{ n: 1, s: "é" }, { n: 1, s: "é" }]);
    expect(await store.read.audit.latestSequence()).toBe(3);
    expect(await store.read.audit.lastAssignedSequence()).toBe(3);
    expect(await verifyChain(store.read.audit)).toEqual({ ok: true, checked: 3, firstBroken: null });
  });

  it("finds organizations by slug, renames and deletes them", async () => {
    expect((await store.read.orgs.findBySlug("two"))?.id).toBe("o2");
    expect(await store.read.orgs.findBySlug("TWO")).toBeNull();
    await store.write(async (tx) => {
      await tx.orgs.update({ id: "o2", name: "Deux", slug: "ignored", createdAt: 0 });
      await tx.orgs.insert({ id: "o3", name: "Three", slug: "three", createdAt: T });
    });
    expect(await store.read.orgs.get("o2")).toEqual({ id: "o2", name: "Deux", slug: "two", createdAt: T });
    const err = await store.write(async (tx) => tx.orgs.insert({ id: "o4", name: "Four", slug: "three", createdAt: T })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await store.read.orgs.get("o4")).toBeNull();
    await store.write(async (tx) => tx.orgs.delete("o3"));
    expect([await store.read.orgs.get("o3"), await store.read.orgs.findBySlug("three"), await store.read.orgs.count()]).toEqual([null, null, 2]);
  });

  it("updates, lists by organization in id order and deletes users, identities and projects", async () => {
    await store.write(async (tx) => {
      for (const u of [user("u2", "b@x.test"), user("u1", "a@x.test"), user("u3", "c@x.test", "o2")]) await tx.users.insert(u);
      for (const [id, org] of [["i2", "o1"], ["i1", "o1"], ["i3", "o2"]]) await tx.identities.insert({ id: id!, organizationId: org!, name: id!, createdAt: T });
      await tx.projects.insert({ id: "p0", organizationId: "o1", name: "Q", description: "", createdAt: T });
    });
    expect([await store.read.users.idsInOrganization("o1"), await store.read.identities.idsInOrganization("o1"), await store.read.projects.idsInOrganization("o1")])
      .toEqual([["u1", "u2"], ["i1", "i2"], ["p0", "p1"]]);
    await store.write(async (tx) => {
      await tx.users.update({ ...user("u1", "New@X.test"), firstName: "Ann", lastName: "Lee", isInstanceAdmin: true, createdAt: 0 });
      await tx.identities.update({ id: "i1", organizationId: "o2", name: "renamed", createdAt: 0 });
      await tx.projects.update({ id: "p0", organizationId: "o2", name: "R", description: "d", createdAt: 0 });
    });
    expect(await store.read.users.get("u1")).toEqual({ ...user("u1", "New@X.test"), firstName: "Ann", lastName: "Lee" });
    expect((await store.read.users.findByEmail("o1", "new@x.TEST"))?.id).toBe("u1");
    expect(await store.read.users.findByEmail("o1", "a@x.test")).toBeNull();
    expect(await store.read.identities.get("i1")).toEqual({ id: "i1", organizationId: "o1", name: "renamed", createdAt: T });
    expect(await store.read.projects.get("p0")).toEqual({ id: "p0", organizationId: "o1", name: "R", description: "d", createdAt: T });
    await store.write(async (tx) => {
      await tx.users.delete("u1");
      await tx.identities.delete("i1");
      await tx.projects.delete("p0");
    });
    expect([await store.read.users.idsInOrganization("o1"), await store.read.identities.idsInOrganization("o1"), await store.read.projects.idsInOrganization("o1")])
      .toEqual([["u2"], ["i2"], ["p1"]]);
  });

  it("lists a principal's unrevoked tokens in id order and deletes an organization's tokens", async () => {
    const token = (id: string, org: string, principalId: string, revokedAt: number | null = null, expiresAt: number | null = null) => ({
      id, organizationId: org, principalType: "user" as const, principalId, description: "", createdAt: T, expiresAt, revokedAt,
    });
    await store.write(async (tx) => {
      await tx.tokens.insert(token("t3", "o1", "u1", null, T - 1), Buffer.from([3]));
      await tx.tokens.insert(token("t1", "o1", "u1"), Buffer.from([1]));
      await tx.tokens.insert(token("t2", "o1", "u1", T), Buffer.from([2]));
      await tx.tokens.insert(token("t4", "o1", "u2"), Buffer.from([4]));
      await tx.tokens.insert(token("t5", "o2", "u1"), Buffer.from([5]));
    });
    expect((await store.read.tokens.unrevokedOf("user", "u1")).map((t) => t.id)).toEqual(["t1", "t3", "t5"]);
    expect(await store.read.tokens.unrevokedOf("identity", "u1")).toEqual([]);
    expect(await store.write(async (tx) => tx.tokens.deleteInOrganization("o1"))).toBe(4);
    expect([await store.read.tokens.get("t1"), (await store.read.tokens.get("t5"))?.id]).toEqual([null, "t5"]);
  });

  it("lists a principal's and a project's memberships in any state, in id order, and deletes one with its roles", async () => {
    await store.write(async (tx) => {
      await tx.users.insert(user("u1", "a@x.test"));
      await tx.users.insert(user("u2", "b@x.test"));
      await tx.projects.insert({ id: "p2", organizationId: "o1", name: "P2", description: "", createdAt: T });
      await tx.memberships.insert({ ...membership("m3", "u1", "deactivated"), projectId: "p2" });
      await tx.memberships.insert(membership("m1", "u1", "invited"));
      await tx.memberships.insert(membership("m2", "u2"));
      await tx.memberships.replaceRoles("m1", [
        { id: "r1", membershipId: "m1", role: "admin", customRoleId: null, isTemporary: false, temporaryMode: null, temporaryRange: null, startAt: null, endAt: null, createdAt: T, updatedAt: T },
      ]);
    });
    expect((await store.read.memberships.ofPrincipal("user", "u1")).map((m) => [m.id, m.status, m.roles.length])).toEqual([["m1", "invited", 1], ["m3", "deactivated", 0]]);
    expect(await store.read.memberships.ofPrincipal("identity", "u1")).toEqual([]);
    expect((await store.read.memberships.ofProject("p1")).map((m) => m.id)).toEqual(["m1", "m2"]);
    await store.write(async (tx) => tx.memberships.delete("m1"));
    expect(await store.read.memberships.get("m1")).toBeNull();
    expect((await store.read.memberships.ofPrincipal("user", "u1")).map((m) => m.id)).toEqual(["m3"]);
    // Its roles went with it: a new membership under the same id has none.
    await store.write(async (tx) => tx.memberships.insert(membership("m1", "u1")));
    expect((await store.read.memberships.get("m1"))!.roles).toEqual([]);
  });
});
