// `project create|list`: projects of an organization.
import type { ProjectRecord } from "../kernel/records.ts";
import { createProjectService } from "../projects/project-service.ts";
import { CONFIG, DB_OPTION, DB_TLS_OPTIONS, JSON_OPTION, ORG_OPTION, type Command } from "./command.ts";
import { inOrganization } from "./offline.ts";
import { everyPage, iso, printList, printRecord, type Columns } from "./output.ts";

export const PROJECT_COLUMNS: Columns = [["id", "ID"], ["organizationId", "ORGANIZATION"], ["name", "NAME"], ["description", "DESCRIPTION"], ["createdAt", "CREATED"]];
export const projectRow = (p: ProjectRecord) => ({ id: p.id, organizationId: p.organizationId, name: p.name, description: p.description, createdAt: iso(p.createdAt) });
const common = { org: ORG_OPTION, db: DB_OPTION, ...DB_TLS_OPTIONS, config: CONFIG, json: JSON_OPTION };

export const projectCommands: Command[] = [
  {
    name: "project create",
    summary: "create a project in an organization",
    options: {
      name: { type: "string", value: "<name>", help: "its name (required)" },
      description: { type: "string", value: "<text>", help: "what it is for" },
      ...common,
    },
    run: inOrganization("project create", async (o, ctx, opts, io) => {
      const project = await createProjectService(o.deps).create(ctx, { name: opts.get("name") ?? "", description: opts.get("description") ?? "" });
      printRecord(io, opts, projectRow(project), PROJECT_COLUMNS);
    }),
  },
  {
    name: "project list",
    summary: "list the projects of an organization",
    options: common,
    run: inOrganization("project list", async (o, ctx, opts, io) => {
      const projects = createProjectService(o.deps);
      printList(io, opts, (await everyPage((pageToken) => projects.list(ctx, { pageSize: 1000, pageToken }))).map(projectRow), PROJECT_COLUMNS);
    }),
  },
];
