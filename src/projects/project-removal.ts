// Deleting a project, inside the caller's transaction: its memberships end
// (membership-endings.ts), its custom roles are removed, then the project;
// each effect is one audit event, the last one project.deleted. Also how an
// organization's cascade removes its projects.
import { deleted, type Change } from "../audit/audit-log.ts";
import type { ProjectRecord } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";
import { endMembershipsIn } from "../membership/membership-endings.ts";

/** Removes the project and everything in it; returns the sequence of its deletion event. */
export async function deleteProjectIn(tx: Repos, record: (c: Change) => Promise<number>, project: ProjectRecord, now: number): Promise<number> {
  const orgId = project.organizationId;
  await endMembershipsIn(tx, record, project.id, now);
  for (const role of await tx.roles.listByProject(project.id)) {
    await tx.roles.delete(role.id);
    await record(deleted("role", role.id, orgId, { ...role }, project.id));
  }
  await tx.projects.delete(project.id);
  return record(deleted("project", project.id, orgId, { ...project }, project.id));
}
