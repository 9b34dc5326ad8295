// The audit trail: append-only, sequence numbers from AUTOINCREMENT so they
// are never reused, even after the newest row is gone. Appending an event for
// a membership also stamps its sequence on the membership row (migration 2),
// in the same transaction, so reads never aggregate the trail. Each event is
// sealed into the hash chain as it is appended (audit-chain-repo.ts).
import type { Database } from "better-sqlite3";
import type { AuditRepo } from "../kernel/store.ts";
import type { AuditRecord } from "../kernel/records.ts";
import type { Row } from "../store/sqlite/sql.ts";
import { createChainSealer, createChainSource } from "./audit-chain-repo.sqlite.ts";
import { toLink } from "./audit-rows.ts";

const parsed = (text: string | null) => (text === null ? null : JSON.parse(text));

const toEvent = (r: Row): AuditRecord => {
  const { hash: _hash, before, after, ...event } = toLink(r);
  return { ...event, before: parsed(before), after: parsed(after) };
};

export function createAuditRepo(db: Database): AuditRepo {
  const append = db.prepare(
    `INSERT INTO audit_events (time, organization_id, project_id, actor_type, actor_id, action, target_type, target_id,
       request_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const list = db.prepare(
    `SELECT * FROM audit_events
     WHERE organization_id = ? AND sequence > ?
       AND (? = '' OR project_id = ?)
       AND (? = '' OR actor_id = ?)
       AND (? = '' OR target_id = ?)
       AND (? = '' OR action = ?)
       AND (? = '' OR substr(action, 1, length(?)) = ?)
       AND (? IS NULL OR time >= ?)
       AND (? IS NULL OR time < ?)
     ORDER BY sequence LIMIT ?`,
  );
  const latest = db.prepare("SELECT coalesce(max(sequence), 0) FROM audit_events").pluck();
  const stampMembership = db.prepare("UPDATE memberships SET last_sequence = ? WHERE id = ?");
  const seal = createChainSealer(db);
  return {
    ...createChainSource(db),
    append: (e) => {
      const before = e.before == null ? null : JSON.stringify(e.before);
      const after = e.after == null ? null : JSON.stringify(e.after);
      const sequence = Number(
        append.run(e.time, e.organizationId, e.projectId, e.actorType, e.actorId, e.action, e.targetType, e.targetId, e.requestId, before, after)
          .lastInsertRowid,
      );
      seal({ ...e, sequence, before, after });
      if (e.targetType === "membership") stampMembership.run(sequence, e.targetId);
      return sequence;
    },
    list: (orgId, f, after, limit) =>
      list
        .all(
          orgId, after, f.projectId, f.projectId, f.actorId, f.actorId, f.targetId, f.targetId, f.action, f.action,
          f.actionPrefix, f.actionPrefix, f.actionPrefix, f.startTime, f.startTime, f.endTime, f.endTime, limit,
        )
        .map((r) => toEvent(r as Row)),
    latestSequence: () => latest.get() as number,
  };
}
