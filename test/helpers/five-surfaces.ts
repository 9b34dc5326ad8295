// The five APIs of one membership store as the cross-surface test drives
// them (test/compat/five-surfaces.test.ts): how each adds, lists and removes
// a member, and what each shows of it, translated back into this server's
// vocabulary (role slugs, status names) so that one expectation fits all.
// Where an API cannot do something (ZITADEL has no machine identities here,
// Infisical's paths add identities only, Canopy shows no roles), the surface
// says so with a reason, for the table to show the skip.
import { MembershipStatus, PrincipalType } from "../../gen/membership/v1/common_pb.js";
import { State } from "@zitadel/proto/zitadel/authorization/v2beta/authorization_pb.js";
import type { World } from "./fixtures.ts";
import { auth } from "./server.ts";
import type { ZitadelClients } from "./zitadel-client.ts";
import type { V2Clients } from "./zitadel-v2-client.ts";

export type Kind = "user" | "identity";

/** What a surface shows of a member: role slugs and status, or NOT_SHOWN where its shape has no such field. */
export interface Seen {
  roles: string[] | typeof NOT_SHOWN;
  status: string | typeof NOT_SHOWN;
}
export const NOT_SHOWN = "not shown by this API";

/** A capability per principal kind: a function, or the reason the API has none. */
export type PerKind<F> = Record<Kind, F | string>;

export interface Surface {
  name: string;
  /** Adds the principal with the custom role `role`, or with no role where the API grants none. */
  add: PerKind<(principalId: string) => Promise<void>>;
  /** The roles an add through this surface grants, as slugs. */
  granted(kind: Kind): string[];
  /** The principal's current membership as the surface lists it, or undefined when it lists none. */
  list: PerKind<(principalId: string) => Promise<Seen | undefined>>;
  remove: PerKind<(principalId: string) => Promise<void>>;
  /** Invites the principal with the custom role: a member until it accepts, granting nothing. */
  invite: PerKind<(principalId: string) => Promise<void>>;
  /** Suspends the principal's membership: the member stays, holding its roles, granting nothing. */
  suspend: PerKind<(principalId: string) => Promise<void>>;
}

export interface Place {
  w: World & ZitadelClients & V2Clients;
  orgId: string;
  slug: string;
  projectId: string;
  /** A custom role of the project: the role that native, ZITADEL v1 and v2 and Infisical can all grant and show. */
  role: string;
}

const ZITADEL_USERS_ONLY = "ZITADEL's project members and authorizations are users; it has no machine identities";
const INFISICAL_IDENTITIES_ONLY = "Infisical's paths served here add and remove identities only";
const ADDS_ACTIVE = "its paths add members active, they invite no one";
const NO_IDENTITY_INVITATION = "identities are added, never invited";
const INFISICAL_NO_SUSPENSION = "Infisical's project memberships have no suspension";
const STATUS_NAMES: Record<number, string> = {
  [MembershipStatus.ACTIVE]: "active",
  [MembershipStatus.INVITED]: "invited",
  [MembershipStatus.SUSPENDED]: "suspended",
  [MembershipStatus.DEACTIVATED]: "deactivated",
};

async function json(p: Place, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${p.w.ts.adminToken}`, "x-zitadel-orgid": p.orgId };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${p.w.ts.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === "" ? undefined : JSON.parse(text);
}

function native(p: Place): Surface {
  // Clients are made at the call: the table is laid out before the server starts.
  const a = () => auth(p.w.ts.adminToken, p.orgId);
  const m = () => p.w.c.members;
  const find = async (type: PrincipalType, id: string) => {
    const { memberships } = await m().listMemberships({ projectId: p.projectId, pageSize: 1000, filter: { principalType: type } }, a());
    return memberships.find((x) => (type === PrincipalType.USER ? x.userId : x.identityId) === id);
  };
  const list = (type: PrincipalType) => async (id: string) => {
    const found = await find(type, id);
    return found && { roles: found.roles.map((r) => r.role), status: STATUS_NAMES[found.status] ?? `status ${found.status}` };
  };
  const suspend = (type: PrincipalType) => async (id: string) => {
    const found = await find(type, id);
    if (!found) throw new Error(`native lists no membership of ${id} to suspend`);
    await m().suspendMembership({ membershipId: found.id }, a());
  };
  return {
    name: "native",
    add: {
      user: async (userId) => void (await m().addProjectMember({ projectId: p.projectId, userId, roles: [p.role] }, a())),
      identity: async (identityId) => void (await m().createIdentityMembership({ projectId: p.projectId, identityId, roles: [{ role: p.role }] }, a())),
    },
    granted: () => [p.role],
    list: { user: list(PrincipalType.USER), identity: list(PrincipalType.IDENTITY) },
    remove: {
      user: async (userId) => void (await m().removeProjectMember({ projectId: p.projectId, userId }, a())),
      identity: async (identityId) => void (await m().deleteIdentityMembership({ projectId: p.projectId, identityId }, a())),
    },
    invite: { user: async (userId) => void (await m().inviteProjectMember({ projectId: p.projectId, userId, roles: [p.role] }, a())), identity: NO_IDENTITY_INVITATION },
    suspend: { user: suspend(PrincipalType.USER), identity: suspend(PrincipalType.IDENTITY) },
  };
}

function zitadelV1(p: Place): Surface {
  const z = () => p.w.zIn(p.orgId);
  return {
    name: "ZITADEL v1",
    add: { user: async (userId) => void (await z().addProjectMember({ projectId: p.projectId, userId, roles: [p.role] })), identity: ZITADEL_USERS_ONLY },
    granted: () => [p.role],
    list: {
      user: async (userId) => {
        const { result } = await z().listProjectMembers({ projectId: p.projectId, query: { limit: 1000 } });
        const found = result.find((x) => x.userId === userId);
        // Its member view has no state: a listed member is one that is not deactivated.
        return found && { roles: found.roles, status: NOT_SHOWN };
      },
      identity: ZITADEL_USERS_ONLY,
    },
    remove: { user: async (userId) => void (await z().removeProjectMember({ projectId: p.projectId, userId })), identity: ZITADEL_USERS_ONLY },
    invite: { user: ADDS_ACTIVE, identity: ZITADEL_USERS_ONLY },
    suspend: { user: "ZITADEL v1 has no suspension of project members", identity: ZITADEL_USERS_ONLY },
  };
}

function zitadelV2(p: Place): Surface {
  const v2 = () => p.w.v2In(p.orgId);
  const find = async (userId: string) => {
    const filters = [{ filter: { case: "projectId" as const, value: { id: p.projectId } } }, { filter: { case: "userId" as const, value: { id: userId } } }];
    return (await v2().authz.listAuthorizations({ filters })).authorizations[0];
  };
  const byUser = async (userId: string) => {
    const found = await find(userId);
    if (!found) throw new Error(`ZITADEL v2 lists no authorization of ${userId}`);
    return found.id;
  };
  return {
    name: "ZITADEL v2",
    add: { user: async (userId) => void (await v2().authz.createAuthorization({ userId, projectId: p.projectId, roleKeys: [p.role] })), identity: ZITADEL_USERS_ONLY },
    granted: () => [p.role],
    list: {
      user: async (userId) => {
        const found = await find(userId);
        // ACTIVE, or INACTIVE for a membership invited or suspended.
        return found && { roles: found.roles, status: found.state === State.ACTIVE ? "active" : found.state === State.INACTIVE ? "inactive" : `state ${found.state}` };
      },
      identity: ZITADEL_USERS_ONLY,
    },
    remove: {
      user: async (userId) => void (await v2().authz.deleteAuthorization({ id: await byUser(userId) })),
      identity: ZITADEL_USERS_ONLY,
    },
    invite: { user: ADDS_ACTIVE, identity: ZITADEL_USERS_ONLY },
    suspend: { user: async (userId) => void (await v2().authz.deactivateAuthorization({ id: await byUser(userId) })), identity: ZITADEL_USERS_ONLY },
  };
}

/** Infisical writes a custom role as role "custom" with its slug beside it; the slug is the role. */
const infisicalRoles = (roles: { role: string; customRoleSlug: string | null }[]) => roles.map((r) => (r.role === "custom" ? r.customRoleSlug! : r.role));

function infisical(p: Place): Surface {
  const one = (identityId: string) => `/api/v1/projects/${p.projectId}/identity-memberships/${identityId}`;
  // Neither list has a status: Infisical lists the memberships that are not deactivated.
  return {
    name: "Infisical",
    add: { user: INFISICAL_IDENTITIES_ONLY, identity: async (identityId) => void (await json(p, "POST", one(identityId), { role: p.role })) },
    granted: () => [p.role],
    list: {
      user: async (userId) => {
        const { memberships } = await json(p, "GET", `/api/v1/workspace/${p.projectId}/memberships`);
        const found = memberships.find((x: { userId: string }) => x.userId === userId);
        return found && { roles: infisicalRoles(found.roles), status: NOT_SHOWN };
      },
      identity: async (identityId) => {
        const { identityMemberships } = await json(p, "GET", `/api/v1/projects/${p.projectId}/identity-memberships?limit=100`);
        const found = identityMemberships.find((x: { identityId: string }) => x.identityId === identityId);
        return found && { roles: infisicalRoles(found.roles), status: NOT_SHOWN };
      },
    },
    remove: { user: INFISICAL_IDENTITIES_ONLY, identity: async (identityId) => void (await json(p, "DELETE", one(identityId))) },
    invite: { user: "Infisical's user invitation path is not served here", identity: NO_IDENTITY_INVITATION },
    suspend: { user: INFISICAL_NO_SUSPENSION, identity: INFISICAL_NO_SUSPENSION },
  };
}

function canopy(p: Place): Surface {
  const base = (id: string) => `/portal/v1/accounts/${p.slug}/identities/${id}/app-memberships`;
  const find = async (id: string) => {
    const { app_memberships } = await json(p, "GET", base(id));
    return app_memberships.find((x: { application_id: string }) => x.application_id === p.projectId);
  };
  const list = async (id: string) => {
    const found = await find(id);
    // Canopy's AppMembership has no roles.
    return found && { roles: NOT_SHOWN, status: found.status };
  };
  const add = async (id: string) => void (await json(p, "POST", base(id), { application_id: p.projectId }));
  const act = (how: "DELETE" | "suspend") => async (id: string) => {
    const found = await find(id);
    if (!found) throw new Error(`Canopy lists no membership of ${id}`);
    await (how === "DELETE" ? json(p, "DELETE", `${base(id)}/${found.id}`) : json(p, "POST", `${base(id)}/${found.id}/suspend`));
  };
  return {
    name: "Canopy",
    add: { user: add, identity: add },
    // Canopy grants no role: a user member holds none, a machine identity the role that grants nothing, as when added natively without one.
    granted: (kind) => (kind === "user" ? [] : ["no-access"]),
    list: { user: list, identity: list },
    remove: { user: act("DELETE"), identity: act("DELETE") },
    invite: { user: ADDS_ACTIVE, identity: NO_IDENTITY_INVITATION },
    suspend: { user: act("suspend"), identity: act("suspend") },
  };
}

export const surfaces = (p: Place): Surface[] => [native(p), zitadelV1(p), zitadelV2(p), infisical(p), canopy(p)];
