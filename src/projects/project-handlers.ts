import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import type { ProjectRoleService } from "./project-role-service.ts";
import type { ProjectService as Projects } from "./project-service.ts";
import { detailsToProto, ts, type Init } from "../rpc/common-mappers.ts";
import type { CatalogRole } from "./project-role-service.ts";
import { unary, type Route } from "../rpc/route.ts";
import type { ProjectRoleSchema, ProjectSchema } from "../../gen/membership/v1/project_pb.js";
import type { ProjectRecord } from "../kernel/records.ts";

const projectToProto = (p: ProjectRecord): Init<typeof ProjectSchema> => ({
  id: p.id,
  organizationId: p.organizationId,
  name: p.name,
  description: p.description,
  createdAt: ts(p.createdAt),
});

const catalogRoleToProto = (r: CatalogRole): Init<typeof ProjectRoleSchema> => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  builtIn: r.builtIn,
  createdAt: ts(r.createdAt),
  updatedAt: ts(r.updatedAt),
});

const P = ProjectService.method;

export function projectRoutes(s: { projects: Projects; roles: ProjectRoleService }): Route[] {
  return [
    unary(P.createProject, { scope: "organization", permission: "org.project.create" }, async (req, call) => ({
      project: projectToProto(await s.projects.create(call, req)),
    })),
    unary(P.getProject, { scope: "project", permission: "project.read" }, async (req, call) => ({
      project: projectToProto(await s.projects.get(call, req.projectId)),
    })),
    unary(P.listProjects, { scope: "authenticated" }, async (req, call) => {
      const page = await s.projects.list(call, req);
      return { projects: page.items.map(projectToProto), nextPageToken: page.nextPageToken };
    }),
    unary(P.updateProject, { scope: "project", permission: "project.write" }, async (req, call) => ({
      project: projectToProto(await s.projects.update(call, req)),
    })),
    unary(P.deleteProject, { scope: "organization", permission: "org.project.delete" }, async (req, call) => ({
      details: detailsToProto(await s.projects.delete(call, req.projectId)),
    })),
    unary(P.createProjectRole, { scope: "project", permission: "project.role.write" }, async (req, call) => ({
      role: catalogRoleToProto(await s.roles.create(call, req)),
    })),
    unary(P.listProjectRoles, { scope: "project", permission: "project.role.read" }, async (req, call) => {
      const page = await s.roles.list(call, req);
      return { roles: page.items.map(catalogRoleToProto), nextPageToken: page.nextPageToken };
    }),
    unary(P.updateProjectRole, { scope: "project", permission: "project.role.write" }, async (req, call) => {
      const role = await s.roles.update(call, {
        projectId: req.projectId,
        roleId: req.roleId,
        slug: req.slug,
        name: req.name,
        description: req.description,
        permissions: req.permissions?.permissions,
      });
      return { role: catalogRoleToProto(role) };
    }),
    unary(P.deleteProjectRole, { scope: "project", permission: "project.role.delete" }, async (req, call) => ({
      role: catalogRoleToProto(await s.roles.delete(call, req)),
    })),
  ];
}
