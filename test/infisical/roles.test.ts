// The one mapping between Infisical's role slugs and this server's roles
// (src/compat/infisical/infisical-roles.ts), on its own.
import { describe, expect, it } from "vitest";
import { builtInRole } from "../../src/access/permissions.ts";
import { CUSTOM, INFISICAL_BUILT_IN_ROLES, roleAsRead, roleToGrant } from "../../src/compat/infisical/infisical-roles.ts";
import { DomainError } from "../../src/kernel/errors.ts";
import type { MembershipRoleView } from "../../src/kernel/records.ts";

const row = (fields: Partial<MembershipRoleView>): MembershipRoleView => ({
  id: "r1", membershipId: "m1", role: "viewer", customRoleId: null, customRoleName: null, customRoleSlug: null,
  isTemporary: false, temporaryMode: null, temporaryRange: null, startAt: null, endAt: null, createdAt: 0, updatedAt: 0,
  ...fields,
});

describe("Infisical role slugs", () => {
  it("each built-in slug of Infisical is a built-in role here with the same name", () => {
    expect(INFISICAL_BUILT_IN_ROLES.map((slug) => builtInRole(slug)?.slug)).toEqual(["admin", "member", "viewer", "no-access"]);
    expect(builtInRole("admin")!.permissions).toContain("project.member.write");
    expect(builtInRole("no-access")!.permissions).toEqual([]);
  });

  it("grants a slug as given, and refuses the placeholder custom by the field's name", () => {
    expect(roleToGrant("role", "deployer")).toBe("deployer");
    expect(() => roleToGrant("roles[2].role", CUSTOM)).toThrow(DomainError);
    expect(() => roleToGrant("roles[2].role", CUSTOM)).toThrow(/^roles\[2\]\.role: /);
  });

  it("reads a custom role as custom with its id, name and slug, and a built-in one by its slug", () => {
    expect(roleAsRead(row({ role: "deployer", customRoleId: "c1", customRoleName: "Deployer", customRoleSlug: "deployer" }))).toEqual({
      role: "custom", customRoleId: "c1", customRoleName: "Deployer", customRoleSlug: "deployer",
    });
    expect(roleAsRead(row({ role: "PROJECT_OWNER" }))).toEqual({ role: "PROJECT_OWNER", customRoleId: null, customRoleName: null, customRoleSlug: null });
  });
});
