// Audit events ↔ membership.v1 messages.
import type { JsonObject } from "@bufbuild/protobuf";
import type { AuditEventSchema } from "../../gen/membership/v1/audit_pb.js";
import type { AuditRecord } from "../kernel/records.ts";
import { ts, type Init } from "../rpc/common-mappers.ts";

const asStruct = (v: unknown): JsonObject | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : undefined;

export const auditEventToProto = (e: AuditRecord): Init<typeof AuditEventSchema> => ({
  sequence: BigInt(e.sequence),
  time: ts(e.time),
  organizationId: e.organizationId,
  projectId: e.projectId ?? "",
  actorType: e.actorType,
  actorId: e.actorId,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  requestId: e.requestId,
  before: asStruct(e.before),
  after: asStruct(e.after),
});

