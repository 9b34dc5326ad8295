// First start against an empty database: an instance administrator, a first
// organization and an API token for that administrator, so the server is
// usable right away. The secret is handed back once, for the caller to store.
import { SYSTEM_ACTOR, audited } from "../audit/audit-log.ts";
import type { Deps } from "../kernel/deps.ts";
import { hashTokenSecret, newTokenSecret } from "./token-secret.ts";
import { slugFromName } from "../organizations/org-slug.ts";

export interface BootstrapResult {
  organizationId: string;
  userId: string;
  tokenId: string;
  secret: string;
}

export async function bootstrapIfEmpty(
  deps: Deps,
  opts: { orgName: string; adminEmail: string },
): Promise<BootstrapResult | null> {
  return audited(deps, SYSTEM_ACTOR, async (tx, record, now) => {
    if ((await tx.orgs.count()) > 0) return null;
    const organizationId = deps.ids.next();
    const userId = deps.ids.next();
    const tokenId = deps.ids.next();
    const secret = newTokenSecret();
    await tx.orgs.insert({ id: organizationId, name: opts.orgName, slug: slugFromName(opts.orgName), createdAt: now });
    await tx.users.insert({
      id: userId,
      organizationId,
      email: opts.adminEmail,
      firstName: "Instance",
      lastName: "Administrator",
      isInstanceAdmin: true,
      createdAt: now,
    });
    await tx.orgMembers.add(organizationId, "user", userId, "ORG_OWNER", now);
    await tx.tokens.insert(
      {
        id: tokenId,
        organizationId,
        principalType: "user",
        principalId: userId,
        description: "bootstrap token of the instance administrator",
        createdAt: now,
        expiresAt: null,
        revokedAt: null,
      },
      hashTokenSecret(secret),
    );
    await record({
      action: "instance.bootstrapped",
      targetType: "organization",
      targetId: organizationId,
      organizationId,
      projectId: null,
      before: null,
      after: { organizationId, adminUserId: userId, tokenId },
    });
    return { organizationId, userId, tokenId, secret };
  });
}
