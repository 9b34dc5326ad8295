// Rows of tokens as records, the same for both stores.
import type { Row, TokenRecord } from "../kernel/records.ts";

export const toToken = (r: Row): TokenRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  principalType: r.principal_type,
  principalId: r.principal_id,
  description: r.description,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});
