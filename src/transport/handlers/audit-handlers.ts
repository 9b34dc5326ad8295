import type { ConnectRouter } from "@connectrpc/connect";
import { AuditService } from "../../../gen/membership/v1/audit_pb.js";
import type { AuditService as Audit } from "../../domain/audit-service.ts";
import { callOf } from "../call-context.ts";
import { auditEventToProto, timeField } from "../convert.ts";

export function auditRoutes(s: { audit: Audit }) {
  return (router: ConnectRouter) =>
    router.service(AuditService, {
      async listAuditEvents(req, ctx) {
        const page = await s.audit.list(callOf(ctx), {
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
      },
    });
}
