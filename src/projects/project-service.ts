// Projects of an organization.
import { authorizeOrg, authorizeProject, holdsInOrg, projectInScope } from "../access/authorize.ts";
import { actorOf, audited, created, removal, updated, type Details } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { ProjectRecord } from "../kernel/records.ts";
import { requireId, requireText } from "../kernel/validate.ts";
import { deleteProjectIn } from "./project-removal.ts";

export function createProjectService(deps: Deps) {
  return {
    async create(ctx: CallContext, input: { name: string; description: string }): Promise<ProjectRecord> {
      const name = requireText("name", input.name, 200);
      const description = requireText("description", input.description, 1000, 0);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.project.create");
        const project: ProjectRecord = { id: deps.ids.next(), organizationId: ctx.orgId, name, description, createdAt: now };
        await tx.projects.insert(project);
        await record(created("project", project.id, ctx.orgId, { ...project }, project.id));
        return project;
      });
    },

    async get(ctx: CallContext, projectId: string): Promise<ProjectRecord> {
      requireId("project_id", projectId);
      return (await authorizeProject(deps.store.read, ctx, projectId, "project.read", deps.clock.now())).project;
    },

    /** Fields left undefined keep their value; a change to nothing new writes nothing. */
    async update(ctx: CallContext, input: { projectId: string; name?: string | undefined; description?: string | undefined }): Promise<ProjectRecord> {
      requireId("project_id", input.projectId);
      const name = input.name === undefined ? undefined : requireText("name", input.name, 200);
      const description = input.description === undefined ? undefined : requireText("description", input.description, 1000, 0);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        const { project } = await authorizeProject(tx, ctx, input.projectId, "project.write", now);
        const next: ProjectRecord = { ...project, name: name ?? project.name, description: description ?? project.description };
        if (next.name === project.name && next.description === project.description) return project;
        await tx.projects.update(next);
        await record(updated("project", project.id, project.organizationId, { ...project }, { ...next }, project.id));
        return next;
      });
    },

    /** Deletes the project with its memberships and custom roles (project-removal.ts). */
    async delete(ctx: CallContext, projectId: string): Promise<Details> {
      requireId("project_id", projectId);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.project.delete");
        const project = await projectInScope(tx, ctx, projectId);
        return removal(await deleteProjectIn(tx, record, project, now), now, ctx.orgId);
      });
    },

    /** Holders of org.read see every project of the organization; others see the projects they are members of. */
    async list(ctx: CallContext, input: { pageSize: number; pageToken: string }) {
      const q = pageQuery(input.pageSize, input.pageToken);
      const repos = deps.store.read;
      const { principal } = ctx;
      const all = await holdsInOrg(repos, ctx, "org.read");
      return page(
        q,
        (p) => (all ? repos.projects.list(ctx.orgId, p) : repos.projects.listForMember(ctx.orgId, principal.type, principal.id, p)),
        (p) => p.id,
      );
    },
  };
}

export type ProjectService = ReturnType<typeof createProjectService>;
