// The permission catalog and the built-in roles. Permissions are named
// strings; roles are sets of them. README documents this table.

export const PROJECT_PERMISSIONS = [
  "project.read",
  "project.write",
  "project.member.read",
  "project.member.write",
  "project.member.delete",
  "project.role.read",
  "project.role.write",
  "project.role.delete",
  "audit.read",
] as const;

export const ORG_PERMISSIONS = [
  "org.read",
  "org.member.read",
  "org.member.write",
  "org.project.create",
  "org.project.delete",
  "org.user.read",
  "org.user.write",
  "org.identity.read",
  "org.identity.write",
  "org.token.read",
  "org.token.write",
] as const;

export type Permission = (typeof PROJECT_PERMISSIONS)[number] | (typeof ORG_PERMISSIONS)[number];

const projectPermissionSet: ReadonlySet<string> = new Set(PROJECT_PERMISSIONS);

/** Custom roles may grant project permissions only: org rights are not a project's to give. */
export function isProjectPermission(p: string): p is Permission {
  return projectPermissionSet.has(p);
}

const READ: Permission[] = ["project.read", "project.member.read", "project.role.read"];
const ALL_PROJECT: Permission[] = [...PROJECT_PERMISSIONS];

export interface BuiltInRole {
  slug: string;
  name: string;
  description: string;
  permissions: readonly Permission[];
}

/** Roles every project has: lower-case slugs, and the upper-case PROJECT_* roles that ZITADEL's clients know. */
export const BUILT_IN_PROJECT_ROLES: readonly BuiltInRole[] = [
  { slug: "admin", name: "Admin", description: "Full control of the project.", permissions: ALL_PROJECT },
  { slug: "member", name: "Member", description: "Reads the project and its members.", permissions: READ },
  { slug: "viewer", name: "Viewer", description: "Reads the project.", permissions: ["project.read", "project.role.read"] },
  { slug: "no-access", name: "No access", description: "Membership without rights.", permissions: [] },
  { slug: "PROJECT_OWNER", name: "Project owner", description: "Full control of the project.", permissions: ALL_PROJECT },
  {
    slug: "PROJECT_OWNER_VIEWER",
    name: "Project owner viewer",
    description: "Reads everything in the project, the audit trail included.",
    permissions: [...READ, "audit.read"],
  },
  {
    slug: "PROJECT_OWNER_GLOBAL",
    name: "Project owner (global)",
    description: "Full control of the project, as granted across organizations.",
    permissions: ALL_PROJECT,
  },
  {
    slug: "PROJECT_OWNER_VIEWER_GLOBAL",
    name: "Project owner viewer (global)",
    description: "Reads everything in the project, as granted across organizations.",
    permissions: [...READ, "audit.read"],
  },
];

const builtInBySlug = new Map(BUILT_IN_PROJECT_ROLES.map((r) => [r.slug, r]));

export function builtInRole(slug: string): BuiltInRole | undefined {
  return builtInBySlug.get(slug);
}

/** Organization roles: they apply to the organization and to every project in it. */
export const ORG_ROLES: Readonly<Record<string, readonly Permission[]>> = {
  ORG_OWNER: [...ORG_PERMISSIONS, ...ALL_PROJECT],
  ORG_OWNER_VIEWER: ["org.read", "org.member.read", "org.user.read", "org.identity.read", "org.token.read", ...READ, "audit.read"],
  ORG_USER_MANAGER: ["org.read", "org.user.read", "org.user.write", "org.identity.read", "org.identity.write"],
};

export const ALL_PERMISSIONS: readonly Permission[] = [...ORG_PERMISSIONS, ...PROJECT_PERMISSIONS];
