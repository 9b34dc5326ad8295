// Who is calling, in which organization, and what the domain is given to work
// with. The org scope is resolved once at the edge (auth.ts) and passed down
// explicitly; nothing reads it from a global.
import type { Clock } from "./clock.ts";
import type { IdGenerator } from "./ids.ts";
import type { ChangeNotifier, Store } from "./store.ts";
import type { PrincipalType } from "./records.ts";

export interface Principal {
  type: PrincipalType;
  id: string;
  /** The organization the principal belongs to. */
  organizationId: string;
  isInstanceAdmin: boolean;
  tokenId: string;
}

export interface CallContext {
  principal: Principal;
  /** The organization the call acts in (x-zitadel-orgid, or the principal's own). */
  orgId: string;
  requestId: string;
}

export interface Deps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  changes: ChangeNotifier;
}
