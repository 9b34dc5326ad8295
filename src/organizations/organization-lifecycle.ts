// Renaming and deleting organizations: instance administrators only, as
// creating them. A deletion is refused while the organization holds
// projects, users or identities, unless the caller asks to cascade: then each
// goes as if deleted one by one (project-removal.ts, principal-removal.ts),
// every effect audited, all in one transaction.
import { actorOf, audited, deleted, removal, updated, type Details } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { failedPrecondition, notFound, permissionDenied } from "../kernel/errors.ts";
import type { OrgRecord } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";
import { requireId, requireText } from "../kernel/validate.ts";
import { deletePrincipalIn } from "../principals/principal-removal.ts";
import { deleteProjectIn } from "../projects/project-removal.ts";
import { removeOrgRolesIn } from "./org-member-removal.ts";

function requireInstanceAdmin(ctx: CallContext, what: string): void {
  if (!ctx.principal.isInstanceAdmin) throw permissionDenied("permission.missing", `only instance administrators ${what} organizations`);
}

async function orgById(repos: Repos, id: string): Promise<OrgRecord> {
  const org = await repos.orgs.get(id);
  if (!org) throw notFound("organization.not_found", `organization ${id} not found`);
  return org;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function createOrganizationLifecycle(deps: Deps) {
  return {
    /** An undefined name keeps the current one; the same name again writes nothing. */
    async update(ctx: CallContext, input: { organizationId: string; name?: string | undefined }): Promise<OrgRecord> {
      requireInstanceAdmin(ctx, "rename");
      requireId("organization_id", input.organizationId);
      const name = input.name === undefined ? undefined : requireText("name", input.name, 200);
      return audited(deps, actorOf(ctx), async (tx, record) => {
        const org = await orgById(tx, input.organizationId);
        if (name === undefined || name === org.name) return org;
        const next = { ...org, name };
        await tx.orgs.update(next);
        await record(updated("organization", org.id, org.id, { ...org }, { ...next }));
        return next;
      });
    },

    async delete(ctx: CallContext, input: { organizationId: string; cascade: boolean }): Promise<Details> {
      requireInstanceAdmin(ctx, "delete");
      const id = requireId("organization_id", input.organizationId);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        const org = await orgById(tx, id);
        if (org.id === ctx.principal.organizationId) {
          throw failedPrecondition("organization.own", `organization ${id} is the caller's own organization`);
        }
        const projects = await tx.projects.idsInOrganization(id);
        const users = await tx.users.idsInOrganization(id);
        const identities = await tx.identities.idsInOrganization(id);
        if (!input.cascade && projects.length + users.length + identities.length > 0) {
          const held = `${plural(projects.length, "project", "projects")}, ${plural(users.length, "user", "users")} and ${plural(identities.length, "identity", "identities")}`;
          throw failedPrecondition("organization.not_empty", `organization ${id} still has ${held}; delete them first or set cascade`);
        }
        for (const projectId of projects) await deleteProjectIn(tx, record, (await tx.projects.get(projectId))!, now);
        for (const userId of users) {
          const user = (await tx.users.get(userId))!;
          if (user.isInstanceAdmin) {
            throw failedPrecondition("organization.holds_instance_admin", `organization ${id} holds instance administrator ${userId}, which the API does not delete`);
          }
          await deletePrincipalIn(tx, record, { type: "user", record: user }, now);
        }
        for (const identityId of identities) {
          await deletePrincipalIn(tx, record, { type: "identity", record: (await tx.identities.get(identityId))! }, now);
        }
        await removeOrgRolesIn(tx, record, id);
        await tx.tokens.deleteInOrganization(id);
        await tx.orgs.delete(id);
        return removal(await record(deleted("organization", id, id, { ...org })), now, id);
      });
    },
  };
}

export type OrganizationLifecycle = ReturnType<typeof createOrganizationLifecycle>;
