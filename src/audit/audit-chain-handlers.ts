import { AuditChainProblem, AuditService } from "../../gen/membership/v1/audit_pb.js";
import type { AuditChainService } from "./audit-chain-service.ts";
import { unary, type Route } from "../rpc/route.ts";

const PROBLEM = { altered: AuditChainProblem.ALTERED, missing: AuditChainProblem.MISSING } as const;

export function auditChainRoutes(s: { auditChain: AuditChainService }): Route[] {
  return [
    unary(AuditService.method.verifyAuditChain, { scope: "instance" }, async (_req, call) => {
      const r = await s.auditChain.verify(call);
      return {
        ok: r.ok,
        eventsChecked: BigInt(r.checked),
        firstBrokenSequence: BigInt(r.firstBroken?.sequence ?? 0),
        problem: r.firstBroken ? PROBLEM[r.firstBroken.problem] : AuditChainProblem.UNSPECIFIED,
      };
    }),
  ];
}
