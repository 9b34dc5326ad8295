// The console's clients: the server's own generated descriptors (gen/) over
// @connectrpc/connect-web. gRPC-web is the default transport; the Connect
// protocol is a setting (session.ts). Every call carries the token and the
// picked organization (x-zitadel-orgid).
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { AuditService } from "../../gen/membership/v1/audit_pb.js";
import { IdentityService } from "../../gen/membership/v1/identity_pb.js";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { session } from "./session.ts";

export interface Api {
  orgs: Client<typeof OrganizationService>;
  projects: Client<typeof ProjectService>;
  users: Client<typeof UserService>;
  identities: Client<typeof IdentityService>;
  members: Client<typeof MembershipService>;
  audit: Client<typeof AuditService>;
}

const credentials: Interceptor = (next) => (req) => {
  req.header.set("authorization", `Bearer ${session.token()}`);
  const org = session.org();
  if (org) req.header.set("x-zitadel-orgid", org);
  return next(req);
};

/** Clients for the protocol chosen now; made again when the setting changes. */
export function createApi(): Api {
  const options = { baseUrl: location.origin, interceptors: [credentials] };
  const transport = session.protocol() === "connect" ? createConnectTransport(options) : createGrpcWebTransport(options);
  return {
    orgs: createClient(OrganizationService, transport),
    projects: createClient(ProjectService, transport),
    users: createClient(UserService, transport),
    identities: createClient(IdentityService, transport),
    members: createClient(MembershipService, transport),
    audit: createClient(AuditService, transport),
  };
}

/** Every item of a paged list, following next_page_token (at most `limit` items). */
export async function listAll<T>(page: (token: string) => Promise<{ items: T[]; next: string }>, limit = 1000): Promise<T[]> {
  const all: T[] = [];
  let token = "";
  do {
    const { items, next } = await page(token);
    all.push(...items);
    token = next;
  } while (token !== "" && all.length < limit);
  return all;
}
