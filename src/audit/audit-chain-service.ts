// VerifyAuditChain: the whole trail, of every organization, so only an
// instance administrator may ask (route access "instance").
import type { CallContext, Deps } from "../kernel/deps.ts";
import { permissionDenied } from "../kernel/errors.ts";
import { verifyChain, type ChainReport } from "./audit-chain.ts";

export function createAuditChainService(deps: Deps) {
  return {
    async verify(ctx: CallContext): Promise<ChainReport> {
      if (!ctx.principal.isInstanceAdmin) {
        throw permissionDenied("permission.missing", "only instance administrators verify the audit chain");
      }
      return verifyChain(deps.store.read.audit);
    },
  };
}

export type AuditChainService = ReturnType<typeof createAuditChainService>;
