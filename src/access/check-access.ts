// "May X do Y in this project now?"
import { authorizeNamedProject } from "./permission-anywhere.ts";
import { projectEffectiveRoles, projectInScope, type EffectiveRole } from "./authorize.ts";
import { idField, isSelf, requirePrincipal } from "../principals/principal-ref.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { invalidArgument } from "../kernel/errors.ts";
import { ALL_PERMISSIONS } from "./permissions.ts";
import type { PrincipalType } from "../kernel/records.ts";
import { requireId } from "../kernel/validate.ts";

const known: ReadonlySet<string> = new Set(ALL_PERMISSIONS);

export function createAccessService(deps: Deps) {
  return {
    /**
     * A caller may always check itself; checking another principal needs
     * project.member.read, checked before the rest of the request is.
     */
    async check(
      ctx: CallContext,
      input: { projectId: string; subject: { type: PrincipalType; id: string } | null; permission: string },
    ): Promise<{ allowed: boolean; roles: EffectiveRole[] }> {
      const repos = deps.store.read;
      const now = deps.clock.now();
      const self = !input.subject || isSelf(ctx, input.subject);
      const project = self
        ? await projectInScope(repos, ctx, requireId("project_id", input.projectId))
        : (await authorizeNamedProject(repos, ctx, input.projectId, "project.member.read", now)).project;
      if (!known.has(input.permission)) throw invalidArgument("permission", `unknown permission ${input.permission.slice(0, 80)}`);
      if (input.subject) requireId(idField(input.subject.type), input.subject.id);
      let subject = { type: ctx.principal.type, id: ctx.principal.id, isInstanceAdmin: ctx.principal.isInstanceAdmin };
      if (!self) {
        const s = input.subject!;
        const found = await requirePrincipal(repos, s, project.organizationId);
        subject = { type: s.type, id: s.id, isInstanceAdmin: "isInstanceAdmin" in found && found.isInstanceAdmin };
      }
      const roles = (await projectEffectiveRoles(repos, subject, project, now)).filter((r) => r.permissions.length > 0);
      return { allowed: roles.some((r) => r.permissions.includes(input.permission)), roles };
    },
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
