import { AuditService } from "../../gen/membership/v1/audit_pb.js";
import type { AuditService as Audit } from "./audit-service.ts";
import { auditEventToProto } from "./audit-mappers.ts";
import { timeField } from "../rpc/common-mappers.ts";
import { unary, type Route } from "../rpc/route.ts";

export function auditRoutes(s: { audit: Audit }): Route[] {
  return [
    unary(AuditService.method.listAuditEvents, { scope: "project", permission: "audit.read" }, async (req, call) => {
      const page = await s.audit.list(call, {
        pageSize: req.pageSize,
        pageToken: req.pageToken,
        projectId: req.projectId,
        actorId: req.actorId,
        targetId: req.targetId,
        action: req.action,
        startTime: timeField("start_time", req.startTime),
        endTime: timeField("end_time", req.endTime),
      });
      return { events: page.items.map(auditEventToProto), nextPageToken: page.nextPageToken };
    }),
  ];
}
