// The README's "Using ZITADEL clients" example, run verbatim: the lines between
// the snippet markers are what the README shows.
import { afterAll, expect, it } from "vitest";
import { auth, startTestServer } from "../helpers/server.ts";
import { nativeClients } from "../helpers/zitadel-client.ts";

const server = await startTestServer();
afterAll(() => server.close());
const native = nativeClients(server.url);
const projectId = (await native.projects.createProject({ name: "readme" }, auth(server.adminToken))).project!.id;
const userId = (await native.users.createUser({ email: "ada@example.com", firstName: "Ada", lastName: "L" }, auth(server.adminToken))).user!.id;
await native.members.addProjectMember({ projectId, userId, roles: ["PROJECT_OWNER"] }, auth(server.adminToken));
const [baseUrl, token, orgId] = [server.url, server.adminToken, server.orgId];
const lines: string[] = [];
const console = { log: (...args: unknown[]) => lines.push(args.join(" ")) };

// --- README snippet: begin ---
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";

const client = createClient(
  ManagementService,
  createGrpcTransport({
    baseUrl, // e.g. "http://localhost:8080"
    interceptors: [
      (next) => (req) => {
        req.header.set("authorization", `Bearer ${token}`);
        req.header.set("x-zitadel-orgid", orgId); // optional: defaults to the caller's organization
        return next(req);
      },
    ],
  }),
);

const { result } = await client.listProjectMembers({ projectId });
for (const m of result) console.log(m.userId, m.email, m.roles.join(","));
// --- README snippet: end ---

it("the README example lists project members with ZITADEL's own client", () => {
  expect(lines).toEqual([`${userId} ada@example.com PROJECT_OWNER`]);
});
