// Human users of an organization.
import { authorizeOrg } from "../access/authorize.ts";
import { actorOf, audited, created, removal, updated, type Details } from "../audit/audit-log.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { alreadyExists, failedPrecondition, notFound } from "../kernel/errors.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { UserRecord } from "../kernel/records.ts";
import type { Repos } from "../kernel/store.ts";
import { requireEmail, requireId, requireText } from "../kernel/validate.ts";
import { deletePrincipalIn, principalSnapshot } from "./principal-removal.ts";

/** The user, when it belongs to the organization of the call; any other answers alike. */
async function userInOrg(repos: Repos, ctx: CallContext, id: string): Promise<UserRecord> {
  const user = await repos.users.get(id);
  if (!user || user.organizationId !== ctx.orgId) throw notFound("user.not_found", `user ${id} not found`);
  return user;
}

export interface UserChanges {
  userId: string;
  email?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

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
        await record(created("user", user.id, ctx.orgId, { id: user.id, email, firstName, lastName }));
        return user;
      });
    },

    /** Any principal of the organization may read its own record; others need org.user.read, checked before the id. */
    async get(ctx: CallContext, id: string): Promise<UserRecord> {
      const repos = deps.store.read;
      if (!(ctx.principal.type === "user" && ctx.principal.id === id)) await authorizeOrg(repos, ctx, "org.user.read");
      requireId("user_id", id);
      return userInOrg(repos, ctx, id);
    },

    /** Fields left undefined keep their value; a change to nothing new writes nothing. */
    async update(ctx: CallContext, input: UserChanges): Promise<UserRecord> {
      requireId("user_id", input.userId);
      const email = input.email === undefined ? undefined : requireEmail("email", input.email);
      const firstName = input.firstName === undefined ? undefined : requireText("first_name", input.firstName, 200);
      const lastName = input.lastName === undefined ? undefined : requireText("last_name", input.lastName, 200);
      return audited(deps, actorOf(ctx), async (tx, record) => {
        await authorizeOrg(tx, ctx, "org.user.write");
        const user = await userInOrg(tx, ctx, input.userId);
        const next: UserRecord = { ...user, email: email ?? user.email, firstName: firstName ?? user.firstName, lastName: lastName ?? user.lastName };
        if (next.email === user.email && next.firstName === user.firstName && next.lastName === user.lastName) return user;
        const holder = await tx.users.findByEmail(ctx.orgId, next.email);
        if (holder && holder.id !== user.id) {
          throw alreadyExists("user.email_taken", `a user with email ${next.email} already exists in this organization`);
        }
        await tx.users.update(next);
        const snap = (u: UserRecord) => principalSnapshot({ type: "user", record: u });
        await record(updated("user", user.id, ctx.orgId, snap(user), snap(next)));
        return next;
      });
    },

    /** Deletes the user with its memberships, organization roles and tokens (principal-removal.ts). */
    async delete(ctx: CallContext, userId: string): Promise<Details> {
      requireId("user_id", userId);
      return audited(deps, actorOf(ctx), async (tx, record, now) => {
        await authorizeOrg(tx, ctx, "org.user.write");
        const user = await userInOrg(tx, ctx, userId);
        if (user.isInstanceAdmin) {
          throw failedPrecondition("user.instance_admin", `user ${userId} is an instance administrator, which the API does not delete`);
        }
        return removal(await deletePrincipalIn(tx, record, { type: "user", record: user }, now), now, ctx.orgId);
      });
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
