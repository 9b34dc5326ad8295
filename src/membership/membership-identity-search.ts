// Identity members of a project by offset, ordered by the identity's name,
// narrowed by a text the name contains, with the total of matches: the list
// that APIs paging by offset (Infisical's) ask for. The store lists by id;
// the matches are ordered here, after the whole list is read, so a page
// never depends on where the previous one ended.
import { authorizeProject } from "../access/authorize.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { invalidArgument } from "../kernel/errors.ts";
import { MAX_PAGE_SIZE } from "../kernel/paging.ts";
import type { MembershipView, ProjectRecord } from "../kernel/records.ts";
import { requireId } from "../kernel/validate.ts";
import { DEFAULT_STATUSES } from "./membership-service.ts";

export interface IdentityMemberSearch {
  projectId: string;
  offset: number;
  limit: number;
  asc: boolean;
  /** Case-insensitive text the identity's name contains; "" for all. */
  nameContains: string;
}

/** At most this many rows a page: what Infisical's own list allows. */
export const MAX_IDENTITY_SEARCH_LIMIT = 20_000;

const byName = (a: MembershipView, b: MembershipView) => {
  const an = a.identity?.name ?? "";
  const bn = b.identity?.name ?? "";
  return an < bn ? -1 : an > bn ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

export function createIdentityMemberSearch(deps: Deps) {
  return {
    async searchIdentityMembers(ctx: CallContext, s: IdentityMemberSearch): Promise<{ project: ProjectRecord; rows: MembershipView[]; total: number }> {
      requireId("projectId", s.projectId);
      if (!Number.isSafeInteger(s.offset) || s.offset < 0) throw invalidArgument("offset", "must be a whole number of at least 0");
      if (!Number.isSafeInteger(s.limit) || s.limit < 1 || s.limit > MAX_IDENTITY_SEARCH_LIMIT) {
        throw invalidArgument("limit", `must be a whole number from 1 to ${MAX_IDENTITY_SEARCH_LIMIT}`);
      }
      if (s.nameContains.length > 200) throw invalidArgument("search", "must be at most 200 characters");
      const repos = deps.store.read;
      const { project } = await authorizeProject(repos, ctx, s.projectId, "project.member.read", deps.clock.now());
      const filter = { role: "", principalType: "identity" as const, statuses: DEFAULT_STATUSES, emailPrefix: "" };
      const all: MembershipView[] = [];
      for (let after: string | null = null; ; ) {
        const batch = await repos.memberships.list(project.id, filter, { after, limit: MAX_PAGE_SIZE });
        all.push(...batch);
        if (batch.length < MAX_PAGE_SIZE) break;
        after = batch[batch.length - 1]!.id;
      }
      const needle = s.nameContains.toLowerCase();
      const matches = all.filter((m) => (m.identity?.name ?? "").toLowerCase().includes(needle)).sort(byName);
      if (!s.asc) matches.reverse();
      return { project, rows: matches.slice(s.offset, s.offset + s.limit), total: matches.length };
    },
  };
}

export type IdentityMemberSearchService = ReturnType<typeof createIdentityMemberSearch>;
