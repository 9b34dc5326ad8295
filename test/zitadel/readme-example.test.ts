// The README's "Using ZITADEL clients" example, run verbatim: the lines between
// the snippet markers are what the README shows.
import { afterAll, expect, it } from "vitest";
import { startWorld } from "../helpers/fixtures.ts";

const w = await startWorld();
afterAll(() => w.close());
const { projectId } = w;
const userId = (await w.newUser({ email: "ada@example.com", firstName: "Ada", lastName: "L" })).id;
await w.c.members.addProjectMember({ projectId, userId, roles: ["PROJECT_OWNER"] }, w.admin);
const [baseUrl, token, orgId] = [w.ts.url, w.ts.adminToken, w.ts.orgId];
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
