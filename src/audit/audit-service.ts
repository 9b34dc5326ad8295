// Reading the audit trail, and following it as a change stream.
import { authorizeOrg, authorizeProject } from "../access/authorize.ts";
import type { CallContext, Deps } from "../kernel/deps.ts";
import { invalidArgument } from "../kernel/errors.ts";
import { page, pageQuery } from "../kernel/paging.ts";
import type { Permission } from "../access/permissions.ts";
import type { AuditFilter } from "../kernel/store.ts";
import type { AuditRecord } from "../kernel/records.ts";
import { requireId } from "../kernel/validate.ts";

const REPLAY_BATCH = 500;

export interface AuditQuery {
  projectId: string;
  actorId: string;
  targetId: string;
  action: string;
  startTime: number | null;
  endTime: number | null;
}

/** Audit pages are keyed by sequence. */
function afterSequence(after: string | null): number {
  if (after === null) return 0;
  if (!/^[0-9]{1,15}$/.test(after)) throw invalidArgument("page_token", "is not a valid page token");
  return Number(after);
}

export function createAuditService(deps: Deps) {
  /** Project-scoped reads need the permission on that project; organization-wide ones need it from an org role. */
  async function authorize(ctx: CallContext, projectId: string, permission: Permission) {
    if (projectId === "") await authorizeOrg(deps.store.read, ctx, permission);
    else await authorizeProject(deps.store.read, ctx, projectId, permission, deps.clock.now());
  }

  return {
    async list(ctx: CallContext, input: AuditQuery & { pageSize: number; pageToken: string }) {
      const q = pageQuery(input.pageSize, input.pageToken);
      const after = afterSequence(q.after);
      for (const [field, v] of [["project_id", input.projectId], ["actor_id", input.actorId], ["target_id", input.targetId]] as const) {
        if (v !== "") requireId(field, v);
      }
      if (input.action.length > 100) throw invalidArgument("action", "must be at most 100 characters");
      await authorize(ctx, input.projectId, "audit.read");
      const filter: AuditFilter = { ...input, actionPrefix: "" };
      return page(q, (p) => deps.store.read.audit.list(ctx.orgId, filter, after, p.limit), (e) => String(e.sequence));
    },

    /**
     * Replays membership events after `afterSequence`, then follows new ones.
     * After each wake-up it re-reads from the last sequence it sent, so a
     * reader never misses or repeats an event. Ends when `signal` aborts.
     */
    async *watchMemberships(
      ctx: CallContext,
      input: { projectId: string; afterSequence: number },
      signal: AbortSignal,
    ): AsyncGenerator<AuditRecord> {
      if (input.projectId !== "") requireId("project_id", input.projectId);
      if (!Number.isSafeInteger(input.afterSequence) || input.afterSequence < 0) {
        throw invalidArgument("after_sequence", "is out of range");
      }
      await authorize(ctx, input.projectId, "project.member.read");
      const filter: AuditFilter = {
        projectId: input.projectId,
        actorId: "",
        targetId: "",
        action: "",
        actionPrefix: "membership.",
        startTime: null,
        endTime: null,
      };
      let last = input.afterSequence;
      while (!signal.aborted) {
        // Wait is armed before reading so a commit between the read and the wait still wakes us.
        const woke = deps.changes.wait(signal);
        const batch = await deps.store.read.audit.list(ctx.orgId, filter, last, REPLAY_BATCH);
        for (const e of batch) {
          if (signal.aborted) return;
          last = e.sequence;
          yield e;
        }
        if (batch.length < REPLAY_BATCH) await woke;
      }
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
