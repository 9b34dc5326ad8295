// `org create|list`: organizations, for scripts that set up an instance.
import type { OrgRecord } from "../kernel/records.ts";
import { createOrganizationService } from "../organizations/organization-service.ts";
import { CONFIG, DB_OPTION, DB_TLS_OPTIONS, JSON_OPTION, type Command } from "./command.ts";
import { inOrganization } from "./offline.ts";
import { everyPage, iso, printList, printRecord, type Columns } from "./output.ts";

export const ORG_COLUMNS: Columns = [["id", "ID"], ["name", "NAME"], ["slug", "SLUG"], ["createdAt", "CREATED"]];
export const orgRow = (o: OrgRecord) => ({ id: o.id, name: o.name, slug: o.slug, createdAt: iso(o.createdAt) });
const common = { db: DB_OPTION, ...DB_TLS_OPTIONS, config: CONFIG, json: JSON_OPTION };

export const orgCommands: Command[] = [
  {
    name: "org create",
    summary: "create an organization",
    options: {
      name: { type: "string", value: "<name>", help: "its name (required)" },
      slug: { type: "string", value: "<slug>", help: "its unique slug (default: derived from the name)" },
      ...common,
    },
    run: inOrganization("org create", async (o, ctx, opts, io) => {
      const org = await createOrganizationService(o.deps).create(ctx, { name: opts.get("name") ?? "", slug: opts.get("slug") ?? "" });
      printRecord(io, opts, orgRow(org), ORG_COLUMNS);
    }),
  },
  {
    name: "org list",
    summary: "list every organization",
    options: common,
    run: inOrganization("org list", async (o, ctx, opts, io) => {
      const orgs = createOrganizationService(o.deps);
      printList(io, opts, (await everyPage((pageToken) => orgs.list(ctx, { pageSize: 1000, pageToken }))).map(orgRow), ORG_COLUMNS);
    }),
  },
];
