// `member add|list`: project memberships of users and identities.
import { permanent } from "../access/role-assignment.ts";
import type { MembershipView } from "../kernel/records.ts";
import { createMembershipService } from "../membership/membership-service.ts";
import { CONFIG, DB_OPTION, DB_TLS_OPTIONS, JSON_OPTION, type Command, type CommandOption } from "./command.ts";
import { withDatabase, type Offline } from "./offline.ts";
import { everyPage, iso, printList, printRecord, type Columns } from "./output.ts";
import { CliError, UsageError, type ParsedOptions } from "./options.ts";

const COLUMNS: Columns = [["id", "ID"], ["principalType", "TYPE"], ["principalId", "PRINCIPAL"], ["name", "NAME"], ["status", "STATUS"], ["roles", "ROLES"]];
const memberRow = (m: MembershipView) => ({
  id: m.id,
  projectId: m.projectId,
  principalType: m.principalType,
  principalId: m.principalId,
  name: m.user?.email ?? m.identity?.name ?? null,
  status: m.status,
  roles: m.roles.map((r) => r.customRoleSlug ?? r.role),
  createdAt: iso(m.createdAt),
  updatedAt: iso(m.updatedAt),
});
const PROJECT: CommandOption = { type: "string", value: "<id>", help: "the project (required)" };
const common = { db: DB_OPTION, ...DB_TLS_OPTIONS, config: CONFIG, json: JSON_OPTION };

/** The caller acting in the project's organization; a missing project is named before anything else is checked. */
async function inProject(o: Offline, opts: ParsedOptions) {
  const projectId = opts.get("project");
  if (!projectId) throw new UsageError("--project is required");
  const project = await o.deps.store.read.projects.get(projectId);
  if (!project) throw new CliError(`project ${projectId} not found`);
  return { projectId, ctx: await o.operator(project.organizationId) };
}

export const memberCommands: Command[] = [
  {
    name: "member add",
    summary: "make a user or an identity an active member of a project",
    options: {
      project: PROJECT,
      user: { type: "string", value: "<id>", help: "the user to add" },
      identity: { type: "string", value: "<id>", help: "the identity to add (instead of --user)" },
      role: { type: "string", multiple: true, value: "<role>", help: "a role: viewer, member, admin, a ZITADEL role or a custom role's slug" },
      ...common,
    },
    run: (opts, io) =>
      withDatabase(opts, "member add", async (o) => {
        const user = opts.get("user");
        const identity = opts.get("identity");
        if ((user === undefined) === (identity === undefined)) throw new UsageError("give either --user or --identity");
        const { projectId, ctx } = await inProject(o, opts);
        const members = createMembershipService(o.deps);
        const roles = opts.all("role").map(permanent);
        const written = user
          ? await members.addProjectMember(ctx, { projectId, userId: user, roles })
          : // An identity given no role holds no-access, as the API's CreateIdentityMembership defaults it.
            await members.createIdentityMembership(ctx, { projectId, identityId: identity!, roles: roles.length > 0 ? roles : [permanent("no-access")] });
        printRecord(io, opts, memberRow(written.membership!), COLUMNS);
      }),
  },
  {
    name: "member list",
    summary: "list the members of a project",
    options: { project: PROJECT, ...common },
    run: (opts, io) =>
      withDatabase(opts, "member list", async (o) => {
        const { projectId, ctx } = await inProject(o, opts);
        const members = createMembershipService(o.deps);
        const filter = { role: "", principalType: null, statuses: [], emailPrefix: "" };
        const all = await everyPage((pageToken) => members.listMemberships(ctx, { projectId, filter, pageSize: 1000, pageToken }));
        printList(io, opts, all.map(memberRow), COLUMNS);
      }),
  },
];
