// `org|project|user|identity update|delete <id>`: the rest of each resource's
// lifecycle, through the same services as UpdateX and DeleteX. Each acts in
// the organization that owns the resource; an option left out keeps its value.
import type { Details } from "../audit/audit-log.ts";
import type { Repos } from "../kernel/store.ts";
import { createOrganizationLifecycle } from "../organizations/organization-lifecycle.ts";
import { createIdentityService } from "../principals/identity-service.ts";
import { createUserService } from "../principals/user-service.ts";
import { createProjectService } from "../projects/project-service.ts";
import { CONFIG, DB_OPTION, DB_TLS_OPTIONS, JSON_OPTION, type Command, type CommandOption } from "./command.ts";
import { withDatabase, type Offline } from "./offline.ts";
import { ORG_COLUMNS, orgRow } from "./org-commands.ts";
import { CliError, type ParsedOptions } from "./options.ts";
import { iso, printRecord, type Columns } from "./output.ts";
import { IDENTITY_COLUMNS, USER_COLUMNS, identityRow, userRow } from "./principal-commands.ts";
import { PROJECT_COLUMNS, projectRow } from "./project-commands.ts";

type Kind = "org" | "project" | "user" | "identity";
const common = { db: DB_OPTION, ...DB_TLS_OPTIONS, config: CONFIG, json: JSON_OPTION };
const DELETED: Columns = [["id", "ID"], ["sequence", "AUDIT SEQUENCE"], ["deletedAt", "DELETED"]];

/** The organization that owns the resource, which must exist. */
async function ownerOf(repos: Repos, kind: Kind, id: string): Promise<string> {
  const found =
    kind === "org" ? await repos.orgs.get(id)
    : kind === "project" ? await repos.projects.get(id)
    : kind === "user" ? await repos.users.get(id)
    : await repos.identities.get(id);
  if (!found) throw new CliError(`${kind === "org" ? "organization" : kind} ${id} not found`);
  return "organizationId" in found ? found.organizationId : found.id;
}

/** A command on one resource named by its id, acting in the resource's organization. */
function onResource(kind: Kind, verb: "update" | "delete", summary: string, options: Record<string, CommandOption>, act: (o: Offline, id: string, opts: ParsedOptions, orgId: string) => Promise<{ row: Record<string, unknown>; columns: Columns }>): Command {
  const name = `${kind} ${verb}`;
  return {
    name,
    summary,
    args: `<${kind === "org" ? "organization" : kind}-id>`,
    positionals: { min: 1, max: 1 },
    options: { ...options, ...common },
    run: (opts, io) =>
      withDatabase(opts, name, async (o) => {
        const id = opts.positionals[0]!;
        const { row, columns } = await act(o, id, opts, await ownerOf(o.deps.store.read, kind, id));
        printRecord(io, opts, row, columns);
      }),
  };
}

const deletedRow = (id: string, d: Details) => ({ row: { id, sequence: d.sequence, deletedAt: iso(d.changeDate) }, columns: DELETED });
const text = (value: string, help: string): CommandOption => ({ type: "string", value, help });

export const lifecycleCommands: Command[] = [
  onResource("org", "update", "rename an organization", { name: text("<name>", "its new name") }, async (o, id, opts, orgId) => {
    const org = await createOrganizationLifecycle(o.deps).update(await o.operator(orgId), { organizationId: id, name: opts.get("name") });
    return { row: orgRow(org), columns: ORG_COLUMNS };
  }),
  onResource("org", "delete", "delete an organization; with --cascade also everything in it", { cascade: { type: "boolean", help: "delete its projects, users and identities too" } }, async (o, id, opts) =>
    deletedRow(id, await createOrganizationLifecycle(o.deps).delete(await o.operator(), { organizationId: id, cascade: opts.has("cascade") })),
  ),
  onResource("project", "update", "change a project's name or description", { name: text("<name>", "its new name"), description: text("<text>", "its new description") }, async (o, id, opts, orgId) => {
    const input = { projectId: id, name: opts.get("name"), description: opts.get("description") };
    return { row: projectRow(await createProjectService(o.deps).update(await o.operator(orgId), input)), columns: PROJECT_COLUMNS };
  }),
  onResource("project", "delete", "delete a project, its memberships and its custom roles", {}, async (o, id, _opts, orgId) =>
    deletedRow(id, await createProjectService(o.deps).delete(await o.operator(orgId), id)),
  ),
  onResource("user", "update", "change a user's email or names", { email: text("<address>", "the new email address"), "first-name": text("<name>", "the new first name"), "last-name": text("<name>", "the new last name") }, async (o, id, opts, orgId) => {
    const input = { userId: id, email: opts.get("email"), firstName: opts.get("first-name"), lastName: opts.get("last-name") };
    return { row: userRow(await createUserService(o.deps).update(await o.operator(orgId), input)), columns: USER_COLUMNS };
  }),
  onResource("user", "delete", "delete a user: its memberships end and its tokens are revoked", {}, async (o, id, _opts, orgId) =>
    deletedRow(id, await createUserService(o.deps).delete(await o.operator(orgId), id)),
  ),
  onResource("identity", "update", "rename a machine identity", { name: text("<name>", "its new name") }, async (o, id, opts, orgId) => {
    const identity = await createIdentityService(o.deps).update(await o.operator(orgId), { identityId: id, name: opts.get("name") });
    return { row: identityRow(identity), columns: IDENTITY_COLUMNS };
  }),
  onResource("identity", "delete", "delete a machine identity: its memberships end and its tokens are revoked", {}, async (o, id, _opts, orgId) =>
    deletedRow(id, await createIdentityService(o.deps).delete(await o.operator(orgId), id)),
  ),
];
