// The calls that change a project's members. They differ by kind: users
// are named by user id, machine identities by identity id.
import type { Membership } from "../../gen/membership/v1/membership_pb.js";
import type { Api } from "./api.ts";
import type { Assignment, Principal } from "./member-model.ts";

/** The calls on one project's members, whichever kind they are. */
export function memberCalls(api: Api, projectId: string) {
  return {
    add: (p: Principal, roles: Assignment[]) =>
      p.kind === "user"
        ? api.members.addProjectMember({ projectId, userId: p.id, roleAssignments: roles })
        : api.members.createIdentityMembership({ projectId, identityId: p.id, roles }),
    setRoles: (p: Principal, roles: Assignment[]) =>
      p.kind === "user"
        ? api.members.updateProjectMember({ projectId, userId: p.id, roleAssignments: roles })
        : api.members.updateIdentityMembership({ projectId, identityId: p.id, roles }),
    remove: (p: Principal) =>
      p.kind === "user"
        ? api.members.removeProjectMember({ projectId, userId: p.id })
        : api.members.deleteIdentityMembership({ projectId, identityId: p.id }),
    suspend: (m: Membership) => api.members.suspendMembership({ membershipId: m.id }),
    resume: (m: Membership) => api.members.resumeMembership({ membershipId: m.id }),
  };
}
export type MemberCalls = ReturnType<typeof memberCalls>;
