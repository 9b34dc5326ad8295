// The organization a Canopy path acts in: its account slug names it. The
// x-zitadel-orgid header, honoured on every other path, may come along, but
// it must name the same organization: two different answers to "which
// organization" is a mistake of the client, refused rather than guessed at.
import { ORG_HEADER } from "../../access/authenticator.ts";
import type { CallContext } from "../../kernel/deps.ts";
import { invalidArgument } from "../../kernel/errors.ts";
import type { OrganizationService } from "../../organizations/organization-service.ts";

export async function accountScope(
  orgs: Pick<OrganizationService, "bySlug">,
  call: CallContext,
  slug: string,
  headers: { get(name: string): string | null },
): Promise<CallContext> {
  // An account the caller may not act in answers as one that does not exist.
  const org = await orgs.bySlug(call, slug);
  const header = headers.get(ORG_HEADER);
  if (header !== null && header !== "" && header !== org.id) {
    throw invalidArgument(ORG_HEADER, `names organization ${header.slice(0, 200)}, but account ${slug} is organization ${org.id}`, "org.scope_conflict");
  }
  return org.id === call.orgId ? call : { ...call, orgId: org.id };
}
