// Canopy's application memberships (its AppMembership API), mapped onto the
// native membership services: an account is an organization found by its
// slug, an application is a project of it, and an identity is a user or a
// machine identity of it. Creating answers 201 with an active membership;
// the lifecycle is the native one: suspend and resume, activate (the invited
// user accepts, as AcceptProjectInvitation), deactivate (DELETE, which
// Canopy calls revoking). A membership of another identity than the path's
// answers 404, as one that does not exist.
import type { JsonObject } from "@bufbuild/protobuf";
import { permanent } from "../../access/role-assignment.ts";
import type { CallContext } from "../../kernel/deps.ts";
import { invalidArgument, notFound, renameField } from "../../kernel/errors.ts";
import type { MembershipStatus, MembershipView } from "../../kernel/records.ts";
import type { HttpApi, HttpCall, HttpRoute } from "../../rpc/http-route.ts";
import type { MembershipService } from "../../membership/membership-service.ts";
import type { MembershipOrgSearch } from "../../membership/membership-org-search.ts";
import type { MembershipWrite } from "../../membership/membership-commands.ts";
import type { OrganizationService } from "../../organizations/organization-service.ts";
import type { PrincipalLookup } from "../../principals/principal-lookup.ts";
import type { PrincipalRef } from "../../principals/principal-ref.ts";
import { canopyError } from "./canopy-errors.ts";
import { appMembershipJson } from "./canopy-mappers.ts";
import { accountScope } from "./canopy-account.ts";

export interface CanopyServices {
  organizations: OrganizationService;
  principals: PrincipalLookup;
  memberships: MembershipService;
  membershipSearch: MembershipOrgSearch;
}

const BASE = "/portal/v1/accounts/{accountSlug}/identities/{id}/app-memberships";
const ONE = `${BASE}/{membershipId}`;
const write = { scope: "project", permission: "project.member.write" } as const;
const read = { scope: "project", permission: "project.member.read" } as const;
const remove = { scope: "project", permission: "project.member.delete" } as const;
const NO_ACCESS = "no-access";
const STATUSES: readonly MembershipStatus[] = ["invited", "active", "suspended", "deactivated"];

/** Field names as Canopy's requests have them. */
const FIELDS: Record<string, string> = { project_id: "application_id", user_id: "id", identity_id: "id", membership_id: "membershipId" };
async function renamed<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw renameField(err, (f) => FIELDS[f] ?? f);
  }
}

const json = (m: MembershipView | null) => appMembershipJson(m!);

function applicationIdOf(body: unknown): string {
  if (body === undefined) throw invalidArgument("application_id", "is required");
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidArgument("body", "must be a JSON object with application_id");
  const id = (body as JsonObject)["application_id"];
  if (id === undefined || id === null || id === "") throw invalidArgument("application_id", "is required");
  if (typeof id !== "string") throw invalidArgument("application_id", "must be a string");
  return id;
}

function statusesOf(query: URLSearchParams): MembershipStatus[] {
  return query.getAll("status").map((s) => {
    if (!STATUSES.includes(s as MembershipStatus)) throw invalidArgument("status", `must be one of ${STATUSES.join(", ")}`);
    return s as MembershipStatus;
  });
}

export function canopyApi(s: CanopyServices): HttpApi {
  const m = s.memberships;
  const identityOf = (c: HttpCall) => renamed(s.principals.inOrganization(c.call, c.params.get("id")!));

  /** The membership the path names, which must be the path identity's. */
  async function membershipOf(c: HttpCall): Promise<{ membership: MembershipView; principal: PrincipalRef }> {
    const principal = await identityOf(c);
    const id = c.params.get("membershipId")!;
    const membership = await renamed(m.getMembership(c.call, id));
    if (membership.principalType !== principal.type || membership.principalId !== principal.id) {
      throw notFound("membership.not_found", `membership ${id} not found`);
    }
    return { membership, principal };
  }

  // Canopy grants no role. A user member holds none, as AddProjectMember without roles; a machine identity
  // holds the role that grants nothing, as every other way of adding one without a role (native, Infisical, CLI).
  const create = async (call: CallContext, p: PrincipalRef, projectId: string): Promise<MembershipWrite> =>
    p.type === "user"
      ? m.addProjectMember(call, { projectId, userId: p.id, roles: [] })
      : m.createIdentityMembership(call, { projectId, identityId: p.id, roles: [permanent(NO_ACCESS)] });

  const revoke = async (c: HttpCall) => {
    const { membership: found, principal: p } = await membershipOf(c);
    const target = { projectId: found.projectId, missingOk: false };
    const w = await renamed(
      p.type === "user" ? m.removeProjectMember(c.call, { ...target, userId: p.id }) : m.deleteIdentityMembership(c.call, { ...target, identityId: p.id }),
    );
    return json(w.membership);
  };

  const transition = (kind: "suspend" | "resume") => async (c: HttpCall) => {
    const { membership } = await membershipOf(c);
    const w = await renamed(kind === "suspend" ? m.suspendMembership(c.call, membership.id) : m.resumeMembership(c.call, membership.id));
    return json(w.membership);
  };

  const routes: HttpRoute[] = [
    {
      method: "POST",
      path: BASE,
      access: write,
      body: true,
      status: 201,
      async handle(c) {
        const applicationId = applicationIdOf(c.body);
        const principal = await identityOf(c);
        return json((await renamed(create(c.call, principal, applicationId))).membership);
      },
    },
    {
      method: "GET",
      path: BASE,
      access: read,
      async handle(c) {
        const statuses = statusesOf(c.query);
        const p = await identityOf(c);
        const q = { principalType: p.type, projectIds: null, principalIds: [p.id], roles: null, statuses };
        const { rows } = await s.membershipSearch.visibleInOrganization(c.call, q);
        return { app_memberships: rows.map(appMembershipJson) };
      },
    },
    { method: "GET", path: ONE, access: read, handle: async (c) => json((await membershipOf(c)).membership) },
    { method: "DELETE", path: ONE, access: remove, handle: revoke },
    { method: "POST", path: `${ONE}/deactivate`, access: remove, handle: revoke },
    { method: "POST", path: `${ONE}/suspend`, access: write, handle: transition("suspend") },
    { method: "POST", path: `${ONE}/resume`, access: write, handle: transition("resume") },
    {
      // The invited user accepts with its own token, as AcceptProjectInvitation: no one activates a membership for another.
      method: "POST",
      path: `${ONE}/activate`,
      access: { scope: "self" },
      async handle(c) {
        const { membership } = await membershipOf(c);
        return json((await renamed(m.acceptProjectInvitation(c.call, membership.projectId))).membership);
      },
    },
  ];

  return { name: "canopy", routes, scope: (call, params, headers) => accountScope(s.organizations, call, params.get("accountSlug")!, headers), answerError: canopyError };
}
