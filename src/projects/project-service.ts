// Projects of an organization.
import { authorizeOrg, authorizeProject, holdsInOrg } from "../access/authorize.ts";
import { actorOf, audited } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { ProjectRecord } from "../kernel/records.ts";
import { requireId, requireText } from "../kernel/validate.ts";

export function createProjectService(deps: Deps) {
  return {
    async create(ctx: CallContext, input: { name: string; description: string }): Promise<ProjectRecord> {
      const name = requireText("name", input.name, 200);
      const description = requireText("description", input.description, 1000, 0);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.project.create");
        const project: ProjectRecord = { id: deps.ids.next(), organizationId: ctx.orgId, name, description, createdAt: now };
        await tx.projects.insert(project);
        await record({
          action: "project.created",
          targetType: "project",
          targetId: project.id,
          organizationId: ctx.orgId,
          projectId: project.id,
          before: null,
          after: { ...project },
        });
        return project;
      });
    },

    async get(ctx: CallContext, projectId: string): Promise<ProjectRecord> {
      requireId("project_id", projectId);
      return (await authorizeProject(deps.store.read, ctx, projectId, "project.read", deps.clock.now())).project;
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
