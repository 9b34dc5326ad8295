// Human users of an organization.
import { authorizeOrg } from "../access/authorize.ts";
import { actorOf, audited } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { alreadyExists, notFound } from "../kernel/errors.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { UserRecord } from "../kernel/records.ts";
import { requireEmail, requireId, requireText } from "../kernel/validate.ts";

export function createUserService(deps: Deps) {
  return {
    async create(ctx: CallContext, input: { email: string; firstName: string; lastName: string }): Promise<UserRecord> {
      const email = requireEmail("email", input.email);
      const firstName = requireText("first_name", input.firstName, 200);
      const lastName = requireText("last_name", input.lastName, 200);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.user.write");
        if (await tx.users.findByEmail(ctx.orgId, email)) {
          throw alreadyExists("user.email_taken", `a user with email ${email} already exists in this organization`);
        }
        const user: UserRecord = {
          id: deps.ids.next(),
          organizationId: ctx.orgId,
          email,
          firstName,
          lastName,
          isInstanceAdmin: false,
          createdAt: now,
        };
        await tx.users.insert(user);
        await record({
          action: "user.created",
          targetType: "user",
          targetId: user.id,
          organizationId: ctx.orgId,
          projectId: null,
          before: null,
          after: { id: user.id, email, firstName, lastName },
        });
        return user;
      });
    },

    /** Any principal of the organization may read its own record; others need org.user.read, checked before the id. */
    async get(ctx: CallContext, id: string): Promise<UserRecord> {
      const repos = deps.store.read;
      if (!(ctx.principal.type === "user" && ctx.principal.id === id)) await authorizeOrg(repos, ctx, "org.user.read");
      requireId("user_id", id);
      const user = await repos.users.get(id);
      if (!user || user.organizationId !== ctx.orgId) throw notFound("user.not_found", `user ${id} not found`);
      return user;
    },

    async list(ctx: CallContext, input: { pageSize: number; pageToken: string; emailPrefix: string }) {
      const q = pageQuery(input.pageSize, input.pageToken);
      if (input.emailPrefix.length > 320) requireText("email_prefix", input.emailPrefix, 320);
      const repos = deps.store.read;
      await authorizeOrg(repos, ctx, "org.user.read");
      return page(q, (p) => repos.users.list(ctx.orgId, p, input.emailPrefix), (u) => u.id);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
