// `user create|list` and `identity create|list`: the principals of an
// organization that memberships and tokens are for.
import type { IdentityRecord, UserRecord } from "../kernel/records.ts";
import { createIdentityService } from "../principals/identity-service.ts";
import { createUserService } from "../principals/user-service.ts";
import { CONFIG, DB_OPTION, DB_TLS_OPTIONS, JSON_OPTION, ORG_OPTION, type Command } from "./command.ts";
import { inOrganization } from "./offline.ts";
import { everyPage, iso, printList, printRecord, type Columns } from "./output.ts";

export const USER_COLUMNS: Columns = [["id", "ID"], ["organizationId", "ORGANIZATION"], ["email", "EMAIL"], ["firstName", "FIRST NAME"], ["lastName", "LAST NAME"], ["createdAt", "CREATED"]];
export const userRow = (u: UserRecord) => ({
  id: u.id,
  organizationId: u.organizationId,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  isInstanceAdmin: u.isInstanceAdmin,
  createdAt: iso(u.createdAt),
});
export const IDENTITY_COLUMNS: Columns = [["id", "ID"], ["organizationId", "ORGANIZATION"], ["name", "NAME"], ["createdAt", "CREATED"]];
export const identityRow = (i: IdentityRecord) => ({ id: i.id, organizationId: i.organizationId, name: i.name, createdAt: iso(i.createdAt) });
const common = { org: ORG_OPTION, db: DB_OPTION, ...DB_TLS_OPTIONS, config: CONFIG, json: JSON_OPTION };

export const principalCommands: Command[] = [
  {
    name: "user create",
    summary: "create a user in an organization",
    options: {
      email: { type: "string", value: "<address>", help: "the email address (required, unique in the organization)" },
      "first-name": { type: "string", value: "<name>", help: "first name (required)" },
      "last-name": { type: "string", value: "<name>", help: "last name (required)" },
      ...common,
    },
    run: inOrganization("user create", async (o, ctx, opts, io) => {
      const user = await createUserService(o.deps).create(ctx, {
        email: opts.get("email") ?? "",
        firstName: opts.get("first-name") ?? "",
        lastName: opts.get("last-name") ?? "",
      });
      printRecord(io, opts, userRow(user), USER_COLUMNS);
    }),
  },
  {
    name: "user list",
    summary: "list the users of an organization",
    options: common,
    run: inOrganization("user list", async (o, ctx, opts, io) => {
      const users = createUserService(o.deps);
      const all = await everyPage((pageToken) => users.list(ctx, { pageSize: 1000, pageToken, emailPrefix: "" }));
      printList(io, opts, all.map(userRow), USER_COLUMNS);
    }),
  },
  {
    name: "identity create",
    summary: "create a machine identity in an organization",
    options: { name: { type: "string", value: "<name>", help: "its name (required)" }, ...common },
    run: inOrganization("identity create", async (o, ctx, opts, io) => {
      const identity = await createIdentityService(o.deps).create(ctx, { name: opts.get("name") ?? "" });
      printRecord(io, opts, identityRow(identity), IDENTITY_COLUMNS);
    }),
  },
  {
    name: "identity list",
    summary: "list the machine identities of an organization",
    options: common,
    run: inOrganization("identity list", async (o, ctx, opts, io) => {
      const identities = createIdentityService(o.deps);
      const all = await everyPage((pageToken) => identities.list(ctx, { pageSize: 1000, pageToken }));
      printList(io, opts, all.map(identityRow), IDENTITY_COLUMNS);
    }),
  },
];
