import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { useWorld } from "../helpers/fixtures.ts";

const w = useWorld({ file: true });

describe("concurrent writes", () => {
  it("50 concurrent AddProjectMember calls for one user: exactly 1 success, 49 ALREADY_EXISTS", async () => {
    const u = await w.newUser();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => w.c.members.addProjectMember({ projectId: w.projectId, userId: u.id, roles: ["viewer"] }, w.admin)),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const codes = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code: number }).code] : []));
    expect(ok).toHaveLength(1);
    expect(codes).toEqual(Array(49).fill(Code.AlreadyExists));
    const { memberships } = await w.c.members.listMemberships({ projectId: w.projectId }, w.admin);
    expect(memberships.filter((m) => m.userId === u.id)).toHaveLength(1);
    const added = (await w.c.audit.listAuditEvents({ action: "membership.added" }, w.admin)).events;
    expect(added).toHaveLength(1);
  });
});
