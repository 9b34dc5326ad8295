// Rows of users and identities as records, the same for both stores
// (SQLite stores the flag as 0 or 1, PostgreSQL as a boolean).
import type { IdentityRecord, Row, UserRecord } from "../kernel/records.ts";

export const toUser = (r: Row): UserRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  email: r.email,
  firstName: r.first_name,
  lastName: r.last_name,
  isInstanceAdmin: Boolean(r.is_instance_admin),
  createdAt: r.created_at,
});

export const toIdentity = (r: Row): IdentityRecord => ({ id: r.id, organizationId: r.organization_id, name: r.name, createdAt: r.created_at });
