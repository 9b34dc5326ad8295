// The authorization matrix: every RPC of the route table that needs a caller
// × every built-in role × six ways of holding it, over one real server and
// Connect over HTTP/2. Whether a cell is allowed is computed from the route's
// declared access and the permission map (src/domain/permissions.ts), never
// written down per cell; an allowed call must succeed, a refused one must
// answer PERMISSION_DENIED. A route without a case fails the coverage test.
//
// How each caller holds its role, with the target organization T and its
// project P (every call names T in x-zitadel-orgid):
//   situation               project role R                     organization role R
//   own organization        user of T, active member of P      user of T, R in T
//   another organization    user of O, active member of O's    user of O, R in O
//                           project
//   no membership           user of T, active member of        user of O, R in T, granted
//                           another project of T               across organizations
//   suspended membership    user of T, suspended member of P   user of T, R in T, and a
//   expired temporary role  user of T, R on P for 1h, 2h ago   membership in P in that state
//   invited membership      user of T, invited to P            holding PROJECT_OWNER
// Only an active membership grants, and a temporary role only inside its
// window; an organization role grants in its organization and every project
// in it; naming an organization where the caller holds nothing is refused.
import { Code, ConnectError } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TemporaryMode } from "../../gen/membership/v1/common_pb.js";
import { BUILT_IN_PROJECT_ROLES, ORG_ROLES, builtInRole, type Permission } from "../../src/access/permissions.ts";
import type { Route } from "../../src/rpc/route.ts";
import type { World } from "../helpers/fixtures.ts";
import { ROUTES, rpcCases, rpcCasesMissing, startRpcWorld, type CaseCaller, type RpcCase, type RpcWorld } from "../helpers/rpc-cases.ts";
import { auth, type TestServer } from "../helpers/server.ts";

const SITUATIONS = [
  "own organization",
  "another organization",
  "no membership",
  "suspended membership",
  "expired temporary role",
  "invited membership",
] as const;
type Situation = (typeof SITUATIONS)[number];
const ROLES = [...BUILT_IN_PROJECT_ROLES.map((r) => r.slug), ...Object.keys(ORG_ROLES)];
const isOrgRole = (role: string) => role in ORG_ROLES;

/** What a caller holds where the call acts, from the permission map alone. */
function holdings(role: string, s: Situation) {
  const scoped = s !== "another organization";
  const org: readonly Permission[] = isOrgRole(role) && scoped ? ORG_ROLES[role]! : [];
  const membership: readonly Permission[] = !isOrgRole(role) && s === "own organization" ? builtInRole(role)!.permissions : [];
  return { scoped, admin: false, org: new Set(org), project: new Set([...org, ...membership]) };
}
type Holdings = ReturnType<typeof holdings>;

/** The route's declared access, applied to what the caller holds. */
function allowed(route: Route, c: RpcCase, h: Holdings): boolean {
  if (!h.scoped) return false;
  if (h.admin) return true;
  const a = route.access;
  switch (a.scope) {
    case "public":
    case "authenticated":
    case "self":
      return true;
    case "instance":
      return false;
    case "organization":
      return h.org.has(a.permission);
    case "project":
      return c.ofOrganization ? h.org.has(a.inOrganization ?? a.permission) : h.project.has(a.permission);
  }
}

interface Caller extends CaseCaller {
  label: string;
  headers: Record<string, string>;
  holds: Holdings;
}

let ts: TestServer;
let w: World;
let cases: RpcCase[];
let call: RpcWorld["call"];
const callers: Caller[] = [];
let cellsChecked = 0;

/** Gives `userId` role R on project P (in `orgId`) in the membership state the situation names. */
async function membership(userId: string, token: string, projectId: string, role: string, s: Situation, orgId: string) {
  const m = w.c.members;
  const admin = auth(ts.adminToken, orgId);
  if (s === "invited membership") return void (await m.inviteProjectMember({ projectId, userId, roles: [role] }, admin));
  if (s === "expired temporary role") {
    const start = timestampFromMs(Date.now() - 2 * 3_600_000);
    const temporary = { role, isTemporary: true, temporaryMode: TemporaryMode.RELATIVE, temporaryRange: "1h", temporaryAccessStartTime: start };
    return void (await m.addProjectMember({ projectId, userId, roleAssignments: [temporary] }, admin));
  }
  if (s !== "suspended membership") return void (await m.addProjectMember({ projectId, userId, roles: [role] }, admin));
  // Suspension needs the membership id: invite, accept as the caller, then suspend.
  const { membership: invited } = await m.inviteProjectMember({ projectId, userId, roles: [role] }, admin);
  await m.acceptProjectInvitation({ projectId }, auth(token, orgId));
  await m.suspendMembership({ membershipId: invited!.id }, admin);
}

async function makeCaller(n: number, role: string, s: Situation, other: { org: string; project: string }, secondProject: string): Promise<Caller> {
  const orgRole = isOrgRole(role);
  const homeOrg = s === "another organization" || (orgRole && s === "no membership") ? other.org : ts.orgId;
  const user = await w.newUser(`m${n}-${role.toLowerCase().replace(/_/g, "-")}`, homeOrg);
  const grantOrg = (orgId: string) => w.c.orgs.addOrganizationMember({ principal: { case: "userId", value: user.id }, roles: [role] }, auth(ts.adminToken, orgId));
  if (orgRole) {
    await grantOrg(s === "another organization" ? other.org : ts.orgId);
    if (s !== "own organization" && s !== "another organization" && s !== "no membership") {
      await membership(user.id, user.token, w.projectId, "PROJECT_OWNER", s, ts.orgId);
    }
  } else if (s === "another organization") {
    await membership(user.id, user.token, other.project, role, "own organization", other.org);
  } else {
    await membership(user.id, user.token, s === "no membership" ? secondProject : w.projectId, role, s, ts.orgId);
  }
  return { label: `${role} (${s})`, id: user.id, homeOrg, headers: auth(user.token, ts.orgId).headers, holds: holdings(role, s) };
}

beforeAll(async () => {
  ({ ts, w, cases, call } = await startRpcWorld());
  const otherOrg = await w.newOrg("matrix other");
  const other = { org: otherOrg, project: await w.newProject("other project", otherOrg) };
  const secondProject = await w.newProject("second project");
  const made = await Promise.all(ROLES.flatMap((role, i) => SITUATIONS.map((s, j) => makeCaller(i * SITUATIONS.length + j, role, s, other, secondProject))));
  callers.push(...made, {
    label: "instance administrator",
    id: ts.adminUserId,
    homeOrg: ts.orgId,
    headers: auth(ts.adminToken, ts.orgId).headers,
    holds: { scoped: true, admin: true, org: new Set(), project: new Set() },
  });
}, 60_000);
afterAll(() => ts?.close());

const CELLS_PER_CASE = ROLES.length * SITUATIONS.length + 1;

/** "allowed", or the code name of the refusal. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "allowed",
    (e: unknown) => `${Code[ConnectError.from(e).code]}: ${ConnectError.from(e).rawMessage}`,
  );

describe("authorization matrix", () => {
  it("has a case for every RPC that needs a caller", () => {
    expect(rpcCasesMissing(rpcCases(ts, w))).toEqual({ uncovered: [], unknown: [] });
  });

  // Names come from the route table at collection time; the cases are bound once the world exists.
  const names = [...ROUTES.values()].filter((r) => r.access.scope !== "public");
  for (const route of names) {
    const rpc = `${route.method.parent.typeName}/${route.method.name}`;
    it(`${rpc}: ${CELLS_PER_CASE} callers per case`, async () => {
      const mine = cases.filter((c) => c.rpc === rpc);
      expect(mine.length, `no case for ${rpc}`).toBeGreaterThan(0);
      for (const c of mine) {
        // A refused call changes nothing, so refused cells may share one request; allowed ones get fresh targets.
        const shared = route.access.scope === "self" ? null : await c.request(callers.at(-1)!);
        const mismatches = await Promise.all(
          callers.map(async (caller) => {
            const expected = allowed(route, c, caller.holds);
            const request = expected || !shared ? await c.request(caller) : shared;
            const got = await outcome(call(route, request, caller.headers));
            cellsChecked++;
            const ok = expected ? got === "allowed" : got.startsWith("PermissionDenied:");
            return ok ? [] : [`${caller.label}${c.ofOrganization ? " of the organization" : ""}: expected ${expected ? "allowed" : "PermissionDenied"}, got ${got}`];
          }),
        );
        expect(mismatches.flat()).toEqual([]);
      }
    });
  }

  it("checked every cell", () => {
    expect(cellsChecked).toBe(cases.length * CELLS_PER_CASE);
  });
});
