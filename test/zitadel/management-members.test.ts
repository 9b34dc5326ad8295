// ZITADEL's ManagementService project-member writes, called with ZITADEL's own
// published client code over the three protocols ZITADEL serves.
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { useWorld } from "../helpers/fixtures.ts";
import { ZITADEL_PROTOCOLS } from "../helpers/protocol-matrix.ts";
import { expectZitadelError, inOrg, zitadelClients } from "../helpers/zitadel-client.ts";

const ms = (t: { seconds: bigint; nanos: number } | undefined) => (t ? Number(t.seconds) * 1000 + t.nanos / 1e6 : undefined);

describe.each(ZITADEL_PROTOCOLS)("ManagementService project members over $name", (protocol) => {
  const w = useWorld({ protocol, per: "suite" }, zitadelClients);

  /** A project of the admin's organization (or of `orgId`) with a fresh user of the same organization. */
  async function projectAndUser(orgId?: string) {
    const projectId = await w.newProject("zitadel", orgId);
    const user = await w.newUser({}, orgId);
    return { projectId, userId: user.id };
  }

  describe("organization scope", () => {
    it("acts in the organization named by x-zitadel-orgid on the call", async () => {
      const org = await w.newOrg();
      const m = await projectAndUser(org);
      const res = await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER"] }, inOrg(org));
      expect(res.details?.resourceOwner).toBe(org);
      const list = await w.z.listProjectMembers({ projectId: m.projectId }, inOrg(org));
      expect(list.result.map((r) => r.userId)).toEqual([m.userId]);
    });

    it("acts in the organization set by orgInterceptor", async () => {
      const org = await w.newOrg();
      const m = await projectAndUser(org);
      const z = w.zIn(org);
      const res = await z.addProjectMember({ ...m, roles: ["PROJECT_OWNER_VIEWER"] });
      expect(res.details?.resourceOwner).toBe(org);
      const list = await z.listProjectMembers({ projectId: m.projectId });
      expect(list.result.map((r) => [r.userId, r.roles])).toEqual([[m.userId, ["PROJECT_OWNER_VIEWER"]]]);
    });

    it("defaults to the caller's own organization", async () => {
      const m = await projectAndUser();
      const res = await w.z.addProjectMember({ ...m, roles: [] });
      expect(res.details?.resourceOwner).toBe(w.ts.orgId);
    });

    it("refuses an organization that does not exist with PERMISSION_DENIED", async () => {
      const projectId = await w.newProject();
      await expectZitadelError(w.z.listProjectMembers({ projectId }, inOrg("424242424242424242")), Code.PermissionDenied);
      await expectZitadelError(w.zIn("no-such-org").listProjectMembers({ projectId }), Code.PermissionDenied);
    });

    it("refuses an organization the caller holds no role in with PERMISSION_DENIED", async () => {
      const other = await w.newOrg();
      const user = await w.newUser();
      const token = await w.tokenFor(user.id);
      await expectZitadelError(w.zAs(token, other).listProjectMemberRoles({}), Code.PermissionDenied);
    });
  });

  describe("AddProjectMember", () => {
    it("rejects an empty project_id with INVALID_ARGUMENT", async () => {
      const user = await w.newUser();
      await expectZitadelError(w.z.addProjectMember({ projectId: "", userId: user.id }), Code.InvalidArgument);
    });

    it("rejects an empty user_id with INVALID_ARGUMENT", async () => {
      const projectId = await w.newProject();
      await expectZitadelError(w.z.addProjectMember({ projectId, userId: "" }), Code.InvalidArgument);
    });

    it("rejects an unknown role with INVALID_ARGUMENT", async () => {
      const m = await projectAndUser();
      await expectZitadelError(w.z.addProjectMember({ ...m, roles: ["PROJECT_GOD"] }), Code.InvalidArgument);
    });

    it("accepts ids of 200 characters and rejects 201 with INVALID_ARGUMENT", async () => {
      const m = await projectAndUser();
      const id200 = "1".repeat(200);
      const id201 = "1".repeat(201);
      await expectZitadelError(w.z.addProjectMember({ projectId: m.projectId, userId: id200 }), Code.FailedPrecondition);
      await expectZitadelError(w.z.addProjectMember({ projectId: id200, userId: m.userId }), Code.FailedPrecondition);
      await expectZitadelError(w.z.addProjectMember({ projectId: m.projectId, userId: id201 }), Code.InvalidArgument);
      await expectZitadelError(w.z.addProjectMember({ projectId: id201, userId: m.userId }), Code.InvalidArgument);
    });

    it("rejects a user that does not exist with FAILED_PRECONDITION", async () => {
      const projectId = await w.newProject();
      await expectZitadelError(w.z.addProjectMember({ projectId, userId: "999999999999" }), Code.FailedPrecondition);
    });

    it("rejects a project that does not exist with FAILED_PRECONDITION", async () => {
      const user = await w.newUser();
      await expectZitadelError(w.z.addProjectMember({ projectId: "999999999999", userId: user.id }), Code.FailedPrecondition);
    });

    it("rejects a project of another organization with FAILED_PRECONDITION", async () => {
      const other = await w.newOrg();
      const projectId = await w.newProject("zitadel", other);
      const user = await w.newUser();
      await expectZitadelError(w.z.addProjectMember({ projectId, userId: user.id }), Code.FailedPrecondition);
    });

    it("rejects a user of another organization with FAILED_PRECONDITION", async () => {
      const other = await w.newOrg();
      const projectId = await w.newProject();
      const stranger = await w.newUser({}, other);
      await expectZitadelError(w.z.addProjectMember({ projectId, userId: stranger.id }), Code.FailedPrecondition);
    });

    it("rejects an existing member with ALREADY_EXISTS", async () => {
      const m = await projectAndUser();
      await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER"] });
      await expectZitadelError(w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER"] }), Code.AlreadyExists);
      await expectZitadelError(w.z.addProjectMember({ ...m, roles: [] }), Code.AlreadyExists);
    });

    it("accepts no roles: the user becomes a member without rights", async () => {
      const m = await projectAndUser();
      await w.z.addProjectMember({ ...m, roles: [] });
      const list = await w.z.listProjectMembers({ projectId: m.projectId });
      expect(list.result.map((r) => [r.userId, r.roles])).toEqual([[m.userId, []]]);
      const token = await w.tokenFor(m.userId);
      await expectZitadelError(w.zAs(token).listProjectMembers({ projectId: m.projectId }), Code.PermissionDenied);
    });

    it("adds a removed member again", async () => {
      const m = await projectAndUser();
      await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER"] });
      await w.z.removeProjectMember(m);
      await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER_VIEWER"] });
      const list = await w.z.listProjectMembers({ projectId: m.projectId });
      expect(list.result.map((r) => [r.userId, r.roles])).toEqual([[m.userId, ["PROJECT_OWNER_VIEWER"]]]);
    });
  });

  describe("UpdateProjectMember", () => {
    it("rejects a user that is not a member with NOT_FOUND", async () => {
      const m = await projectAndUser();
      await expectZitadelError(w.z.updateProjectMember({ ...m, roles: ["PROJECT_OWNER"] }), Code.NotFound);
    });

    it("rejects a removed member with NOT_FOUND", async () => {
      const m = await projectAndUser();
      await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER"] });
      await w.z.removeProjectMember(m);
      await expectZitadelError(w.z.updateProjectMember({ ...m, roles: ["PROJECT_OWNER"] }), Code.NotFound);
    });

    it("rejects an unknown role with INVALID_ARGUMENT", async () => {
      const m = await projectAndUser();
      await w.z.addProjectMember({ ...m, roles: [] });
      await expectZitadelError(w.z.updateProjectMember({ ...m, roles: ["PROJECT_GOD"] }), Code.InvalidArgument);
    });

    it("replaces the roles", async () => {
      const m = await projectAndUser();
      await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER_VIEWER"] });
      await w.z.updateProjectMember({ ...m, roles: ["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"] });
      const [member] = (await w.z.listProjectMembers({ projectId: m.projectId })).result;
      expect([...member!.roles].sort()).toEqual(["PROJECT_OWNER", "PROJECT_OWNER_GLOBAL"]);
    });

    it("accepts the same roles again and returns the current details, with no new audit event", async () => {
      const m = await projectAndUser();
      await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER_VIEWER"] });
      const changed = (await w.z.updateProjectMember({ ...m, roles: ["PROJECT_OWNER"] })).details!;
      const before = (await w.z.listProjectMembers({ projectId: m.projectId })).details!.processedSequence;
      const again = (await w.z.updateProjectMember({ ...m, roles: ["PROJECT_OWNER"] })).details!;
      expect(again.sequence).toBe(changed.sequence);
      expect(again.resourceOwner).toBe(w.ts.orgId);
      expect(again.changeDate).toBeDefined();
      const after = (await w.z.listProjectMembers({ projectId: m.projectId })).details!.processedSequence;
      expect(after).toBe(before);
    });
  });

  describe("RemoveProjectMember", () => {
    it("succeeds for a user that is not a member and returns details", async () => {
      const m = await projectAndUser();
      const { details } = await w.z.removeProjectMember(m);
      expect(details?.resourceOwner).toBe(w.ts.orgId);
      expect(details?.changeDate).toBeDefined();
      expect(details?.sequence).toBeGreaterThan(0n);
    });

    it("rejects an empty user_id with INVALID_ARGUMENT", async () => {
      const projectId = await w.newProject();
      await expectZitadelError(w.z.removeProjectMember({ projectId, userId: "" }), Code.InvalidArgument);
    });

    it("removes a member from the list", async () => {
      const m = await projectAndUser();
      await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER"] });
      await w.z.removeProjectMember(m);
      const list = await w.z.listProjectMembers({ projectId: m.projectId });
      expect(list.result).toEqual([]);
      expect(list.details?.totalResult).toBe(0n);
    });
  });

  describe("ObjectDetails", () => {
    it("AddProjectMember sets creation_date, sequence and the project's organization", async () => {
      const org = await w.newOrg();
      const m = await projectAndUser(org);
      const { details } = await w.zIn(org).addProjectMember({ ...m, roles: ["PROJECT_OWNER"] });
      expect(details?.sequence).toBeGreaterThan(0n);
      expect(Math.abs(ms(details?.creationDate)! - Date.now())).toBeLessThan(60_000);
      expect(details?.changeDate).toBeUndefined();
      expect(details?.resourceOwner).toBe(org);
    });

    it("Update and Remove set change_date; the sequence increases with each write", async () => {
      const m = await projectAndUser();
      const added = (await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER_VIEWER"] })).details!;
      const updated = (await w.z.updateProjectMember({ ...m, roles: ["PROJECT_OWNER"] })).details!;
      const removed = (await w.z.removeProjectMember(m)).details!;
      const next = await projectAndUser();
      const addedNext = (await w.z.addProjectMember({ ...next, roles: [] })).details!;
      expect(updated.sequence).toBeGreaterThan(added.sequence);
      expect(removed.sequence).toBeGreaterThan(updated.sequence);
      expect(addedNext.sequence).toBeGreaterThan(removed.sequence);
      for (const d of [updated, removed]) {
        expect(Math.abs(ms(d.changeDate)! - Date.now())).toBeLessThan(60_000);
        expect(d.creationDate).toBeUndefined();
        expect(d.resourceOwner).toBe(w.ts.orgId);
      }
    });

    it("listed members carry sequence, creation_date, change_date and resource_owner", async () => {
      const m = await projectAndUser();
      const added = (await w.z.addProjectMember({ ...m, roles: ["PROJECT_OWNER_VIEWER"] })).details!;
      const updated = (await w.z.updateProjectMember({ ...m, roles: ["PROJECT_OWNER"] })).details!;
      const [member] = (await w.z.listProjectMembers({ projectId: m.projectId })).result;
      expect(member?.details?.sequence).toBe(updated.sequence);
      expect(ms(member?.details?.creationDate)).toBe(ms(added.creationDate));
      expect(ms(member?.details?.changeDate)).toBe(ms(updated.changeDate));
      expect(member?.details?.resourceOwner).toBe(w.ts.orgId);
    });
  });

  describe("error details", () => {
    it("the same kind of error carries the same id", async () => {
      const projectId = await w.newProject();
      const a = await expectZitadelError(w.z.updateProjectMember({ projectId, userId: "111111111111" }), Code.NotFound);
      const b = await expectZitadelError(w.z.updateProjectMember({ projectId, userId: "222222222222" }), Code.NotFound);
      expect(b).toBe(a);
    });

    it("different kinds of error carry different ids", async () => {
      const m = await projectAndUser();
      await w.z.addProjectMember({ ...m, roles: [] });
      const exists = await expectZitadelError(w.z.addProjectMember({ ...m, roles: [] }), Code.AlreadyExists);
      const invalid = await expectZitadelError(w.z.addProjectMember({ projectId: "", userId: m.userId }), Code.InvalidArgument);
      const other = await projectAndUser();
      const missing = await expectZitadelError(w.z.updateProjectMember({ ...other, roles: [] }), Code.NotFound);
      expect(new Set([exists, invalid, missing]).size).toBe(3);
    });

    it("a call with an unknown token answers UNAUTHENTICATED with an ErrorDetail", async () => {
      await expectZitadelError(w.zAs("mbr_not-a-token").listProjectMemberRoles({}), Code.Unauthenticated);
    });
  });
});
