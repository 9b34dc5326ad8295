import type { ConnectRouter } from "@connectrpc/connect";
import { ProjectService } from "../../../gen/membership/v1/project_pb.js";
import type { ProjectRoleService } from "../../domain/project-role-service.ts";
import type { ProjectService as Projects } from "../../domain/project-service.ts";
import { callOf } from "../call-context.ts";
import { catalogRoleToProto, projectToProto } from "../convert.ts";

export function projectRoutes(s: { projects: Projects; roles: ProjectRoleService }) {
  return (router: ConnectRouter) =>
    router.service(ProjectService, {
      async createProject(req, ctx) {
        return { project: projectToProto(await s.projects.create(callOf(ctx), req)) };
      },
      async getProject(req, ctx) {
        return { project: projectToProto(await s.projects.get(callOf(ctx), req.projectId)) };
      },
      async listProjects(req, ctx) {
        const page = await s.projects.list(callOf(ctx), req);
        return { projects: page.items.map(projectToProto), nextPageToken: page.nextPageToken };
      },
      async createProjectRole(req, ctx) {
        return { role: catalogRoleToProto(await s.roles.create(callOf(ctx), req)) };
      },
      async listProjectRoles(req, ctx) {
        const page = await s.roles.list(callOf(ctx), req);
        return { roles: page.items.map(catalogRoleToProto), nextPageToken: page.nextPageToken };
      },
      async updateProjectRole(req, ctx) {
        const role = await s.roles.update(callOf(ctx), {
          projectId: req.projectId,
          roleId: req.roleId,
          slug: req.slug,
          name: req.name,
          description: req.description,
          permissions: req.permissions?.permissions,
        });
        return { role: catalogRoleToProto(role) };
      },
      async deleteProjectRole(req, ctx) {
        return { role: catalogRoleToProto(await s.roles.delete(callOf(ctx), req)) };
      },
    });
}
