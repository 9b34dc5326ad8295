// Every text field of the API that the server stores, each with how to write
// a value, how to read it back through another RPC, and its length limit; and
// the text fields that only ever name something (role keys, slugs,
// permissions, ranges), which no injection string can be valid for.
import { TemporaryMode } from "../../gen/membership/v1/common_pb.js";
import type { World } from "./injection-world.ts";

export interface StoredField {
  /** The RPC and field, for test names. */
  name: string;
  /** The field as an INVALID_ARGUMENT message names it. */
  field: string;
  /** The most UTF-16 units the field takes. */
  max: number;
  /** Writes `value`; resolves with the id of what was written and the value as the write's answer gave it. */
  write(w: World, value: string): Promise<{ id: string; echoed: string }>;
  /** The value as a later read gives it. */
  read(w: World, id: string): Promise<string>;
  /** What was written is an organization: its audit events are its own, not the world's. */
  isOrganization?: true;
  /** False where the audit event does not record the field. */
  audited?: false;
}

const EMAIL_DOMAIN = "@example.com";

/** A custom role of the world's project, for the role fields. */
async function newRole(w: World, over: { name?: string; description?: string } = {}) {
  const role = { projectId: w.projectId, slug: `role-${w.next()}`, name: "Role", permissions: ["project.read"], ...over };
  return (await w.c.projects.createProjectRole(role, w.as)).role!;
}
const roleOf = async (w: World, id: string) => (await w.c.projects.listProjectRoles({ projectId: w.projectId, pageSize: 1000 }, w.as)).roles.find((r) => r.id === id)!;

export const STORED_FIELDS: StoredField[] = [
  {
    name: "CreateOrganization name",
    field: "name",
    max: 200,
    isOrganization: true,
    write: async (w, name) => {
      const org = (await w.c.orgs.createOrganization({ name }, w.as)).organization!;
      return { id: org.id, echoed: org.name };
    },
    read: async (w, id) => (await w.c.orgs.getOrganization({ organizationId: id }, w.as)).organization!.name,
  },
  {
    // The value is the local part of an address in a domain, so that most of it can be an email at all.
    name: "CreateUser email",
    field: "email",
    max: 320 - EMAIL_DOMAIN.length,
    write: async (w, local) => {
      const user = (await w.c.users.createUser({ email: local + EMAIL_DOMAIN, firstName: "E", lastName: "E" }, w.as)).user!;
      return { id: user.id, echoed: user.email.slice(0, -EMAIL_DOMAIN.length) };
    },
    read: async (w, id) => (await w.c.users.getUser({ userId: id }, w.as)).user!.email.slice(0, -EMAIL_DOMAIN.length),
  },
  ...(["firstName", "lastName"] as const).map((key): StoredField => ({
    name: `CreateUser ${key === "firstName" ? "first_name" : "last_name"}`,
    field: key === "firstName" ? "first_name" : "last_name",
    max: 200,
    write: async (w, value) => {
      const user = (await w.c.users.createUser({ email: `u${w.next()}${EMAIL_DOMAIN}`, firstName: "F", lastName: "L", [key]: value }, w.as)).user!;
      return { id: user.id, echoed: user[key] };
    },
    read: async (w, id) => (await w.c.users.getUser({ userId: id }, w.as)).user![key],
  })),
  {
    name: "CreateIdentity name",
    field: "name",
    max: 200,
    write: async (w, name) => {
      const identity = (await w.c.identities.createIdentity({ name }, w.as)).identity!;
      return { id: identity.id, echoed: identity.name };
    },
    read: async (w, id) => (await w.c.identities.getIdentity({ identityId: id }, w.as)).identity!.name,
  },
  ...(["name", "description"] as const).map((key): StoredField => ({
    name: `CreateProject ${key}`,
    field: key,
    max: key === "name" ? 200 : 1000,
    write: async (w, value) => {
      const project = (await w.c.projects.createProject({ name: "P", [key]: value }, w.as)).project!;
      return { id: project.id, echoed: project[key] };
    },
    read: async (w, id) => (await w.c.projects.getProject({ projectId: id }, w.as)).project![key],
  })),
  ...(["name", "description"] as const).flatMap((key): StoredField[] => [
    {
      name: `CreateProjectRole ${key}`,
      field: key,
      max: key === "name" ? 200 : 1000,
      write: async (w, value) => {
        const role = await newRole(w, { [key]: value });
        return { id: role.id, echoed: role[key] };
      },
      read: async (w, id) => (await roleOf(w, id))[key],
    },
    {
      name: `UpdateProjectRole ${key}`,
      field: key,
      max: key === "name" ? 200 : 1000,
      write: async (w, value) => {
        const { id } = await newRole(w);
        const role = (await w.c.projects.updateProjectRole({ projectId: w.projectId, roleId: id, [key]: value }, w.as)).role!;
        return { id, echoed: role[key] };
      },
      read: async (w, id) => (await roleOf(w, id))[key],
    },
  ]),
  // The Update RPCs store the same fields through another path.
  {
    name: "UpdateOrganization name",
    field: "name",
    max: 200,
    isOrganization: true,
    write: async (w, name) => {
      const { id } = (await w.c.orgs.createOrganization({ name: "O" }, w.as)).organization!;
      return { id, echoed: (await w.c.orgs.updateOrganization({ organizationId: id, name }, w.as)).organization!.name };
    },
    read: async (w, id) => (await w.c.orgs.getOrganization({ organizationId: id }, w.as)).organization!.name,
  },
  ...(["email", "firstName", "lastName"] as const).map((key): StoredField => {
    // Another domain than CreateUser's, whose test stored the same local parts in this organization.
    const domain = "@updated.example.com";
    const shown = (u: { email: string; firstName: string; lastName: string }) => (key === "email" ? u.email.slice(0, -domain.length) : u[key]);
    return {
      name: `UpdateUser ${key === "email" ? "email" : key === "firstName" ? "first_name" : "last_name"}`,
      field: key === "email" ? "email" : key === "firstName" ? "first_name" : "last_name",
      max: key === "email" ? 320 - domain.length : 200,
      write: async (w, value) => {
        const { id } = (await w.c.users.createUser({ email: `u${w.next()}${domain}`, firstName: "F", lastName: "L" }, w.as)).user!;
        const user = (await w.c.users.updateUser({ userId: id, [key]: key === "email" ? value + domain : value }, w.as)).user!;
        return { id, echoed: shown(user) };
      },
      read: async (w, id) => shown((await w.c.users.getUser({ userId: id }, w.as)).user!),
    };
  }),
  {
    name: "UpdateIdentity name",
    field: "name",
    max: 200,
    write: async (w, name) => {
      const { id } = (await w.c.identities.createIdentity({ name: "I" }, w.as)).identity!;
      return { id, echoed: (await w.c.identities.updateIdentity({ identityId: id, name }, w.as)).identity!.name };
    },
    read: async (w, id) => (await w.c.identities.getIdentity({ identityId: id }, w.as)).identity!.name,
  },
  ...(["name", "description"] as const).map((key): StoredField => ({
    name: `UpdateProject ${key}`,
    field: key,
    max: key === "name" ? 200 : 1000,
    write: async (w, value) => {
      const { id } = (await w.c.projects.createProject({ name: "P" }, w.as)).project!;
      return { id, echoed: (await w.c.projects.updateProject({ projectId: id, [key]: value }, w.as)).project![key] };
    },
    read: async (w, id) => (await w.c.projects.getProject({ projectId: id }, w.as)).project![key],
  })),
  {
    name: "CreateToken description",
    field: "description",
    max: 200,
    // token.created records the token's id, principal and expiry, not its description.
    audited: false,
    write: async (w, description) => {
      const { token } = await w.c.tokens.createToken({ principal: { case: "identityId", value: w.identityId }, description }, w.as);
      return { id: token!.id, echoed: token!.description };
    },
    read: async (w, id) => (await w.c.tokens.listTokens({ principalId: w.identityId, pageSize: 1000 }, w.as)).tokens.find((t) => t.id === id)!.description,
  },
];

export interface KeyField {
  name: string;
  /** The field as an INVALID_ARGUMENT message names it (a prefix of it is enough). */
  field: RegExp;
  send(w: World, value: string): Promise<unknown>;
}

/** Fields that name a role, a permission or a range: an injection string never names one. */
export const KEY_FIELDS: KeyField[] = [
  {
    name: "CreateProjectRole slug",
    field: /^slug/,
    send: (w, slug) => w.c.projects.createProjectRole({ projectId: w.projectId, slug, name: "R", permissions: ["project.read"] }, w.as),
  },
  {
    name: "CreateProjectRole permissions",
    field: /^permissions\[0\]/,
    send: (w, p) => w.c.projects.createProjectRole({ projectId: w.projectId, slug: `k${w.next()}`, name: "R", permissions: [p] }, w.as),
  },
  {
    name: "AddProjectMember roles",
    field: /^roles\[0\]/,
    send: (w, role) => w.c.members.addProjectMember({ projectId: w.projectId, userId: w.userId, roles: [role] }, w.as),
  },
  {
    name: "AddProjectMember role_assignments temporary_range",
    field: /^role_assignments\[0\]\.temporary_range|^roles\[0\]\.temporary_range/,
    send: (w, range) =>
      w.c.members.addProjectMember(
        {
          projectId: w.projectId,
          userId: w.userId,
          roleAssignments: [{ role: "viewer", isTemporary: true, temporaryMode: TemporaryMode.RELATIVE, temporaryRange: range, temporaryAccessStartTime: { seconds: 1n } }],
        },
        w.as,
      ),
  },
  {
    name: "CreateIdentityMembership role",
    field: /^role/,
    send: (w, role) => w.c.members.createIdentityMembership({ projectId: w.projectId, identityId: w.identityId, role }, w.as),
  },
  {
    name: "AddOrganizationMember roles",
    field: /^roles\[0\]/,
    send: (w, role) => w.c.orgs.addOrganizationMember({ principal: { case: "identityId", value: w.identityId }, roles: [role] }, w.as),
  },
  {
    name: "ZITADEL AddProjectMember roles",
    field: /^roles\[0\]/,
    send: (w, role) => w.zitadel.addProjectMember({ projectId: w.projectId, userId: w.userId, roles: [role] }, w.as),
  },
];
