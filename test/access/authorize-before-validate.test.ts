// Authorize before validating: a caller an RPC refuses gets the refusal
// whatever it sends, so the answer never tells it which fields a request
// needs. For every RPC of the route table that needs a caller, a request
// that is empty, wrong in every field, or bytes that do not decode (on the
// fast path and, compressed, through Connect) gets exactly the code a valid
// request gets: UNAUTHENTICATED without a token, PERMISSION_DENIED for a
// caller without the permission. A caller holding a project permission on
// another project is refused on this one whatever else the request holds.
//
// One exception, by design: an RPC a caller may make about itself (GetUser,
// CreateToken, CheckAccess…) admits every caller to the decoding, since only
// the message says whom it is about. Bytes that do not decode name no one
// and answer INVALID_ARGUMENT there; a message that decodes is judged "about
// the caller or not" before any field is validated.
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routePath, type Route } from "../../src/rpc/route.ts";
import type { World } from "../helpers/fixtures.ts";
import { invalidRequest } from "../helpers/invalid-requests.ts";
import { envelope, exchange } from "../helpers/raw-exchange.ts";
import { ROUTES, startRpcWorld, type Headers, type RpcWorld } from "../helpers/rpc-cases.ts";
import type { TestServer } from "../helpers/server.ts";

let ts: TestServer;
let w: World;
let call: RpcWorld["call"];
let requestFor: RpcWorld["requestFor"];
/** A user of the organization without any role. */
let nobody: { id: string; headers: Headers };
/** A user holding `admin` on another project of the organization, and nothing else. */
let elsewhere: Headers;

beforeAll(async () => {
  ({ ts, w, call, requestFor } = await startRpcWorld());
  const u = await w.newUser("nobody");
  nobody = { id: u.id, headers: u.as.headers };
  const other = await w.newProject("elsewhere");
  const e = await w.newUser("elsewhere");
  await w.c.members.addProjectMember({ projectId: other, userId: e.id, roles: ["admin"] }, w.admin);
  elsewhere = e.as.headers;
});
afterAll(() => ts?.close());

/** RPCs where an empty request is a well-formed request about the caller itself, which it may make. */
const EMPTY_MEANS_SELF = new Set(["membership.v1.TokenService/ListTokens", "membership.v1.MembershipService/CheckAccess"]);

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: unknown) => Code[ConnectError.from(e).code],
  );

/** gRPC over raw HTTP/2 with a body that is not protobuf; `gzip` flags it compressed, which the fast path leaves to Connect. */
async function rawCode(route: Route, headers: Headers, gzip: boolean): Promise<string> {
  const garbage = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]);
  const res = await exchange(ts.url, {
    http: 2,
    path: routePath(route),
    headers: { "content-type": "application/grpc", te: "trailers", ...(gzip ? { "grpc-encoding": "gzip" } : {}), ...headers },
    body: envelope(garbage, gzip ? 1 : 0),
  });
  return Code[Number(res.trailers["grpc-status"] ?? res.headers["grpc-status"])]!;
}

/** Whether a caller without any role is refused the RPC's valid request. */
const refusesNobody = (r: Route) => r.access.scope === "instance" || r.access.scope === "organization" || r.access.scope === "project";

const routes = [...ROUTES.entries()].filter(([, r]) => r.access.scope !== "public");

describe("an unauthorized caller gets the same answer whatever it sends", () => {
  it.each(routes)("%s", async (rpc, route) => {
    const valid = await requestFor(rpc, { id: nobody.id, homeOrg: ts.orgId });
    const variants: [string, Record<string, unknown>][] = [["invalid in every field", invalidRequest(route.method.input)]];
    if (!EMPTY_MEANS_SELF.has(rpc)) variants.push(["empty", {}]);
    const callers: [string, Headers, string][] = [["without a token", {}, "Unauthenticated"]];
    if (refusesNobody(route)) callers.push(["without a role", nobody.headers, "PermissionDenied"]);
    const answers: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const [who, headers, code] of callers) {
      expect(await codeOf(call(route, valid, headers)), `valid request ${who}`).toBe(code);
      for (const [name, request] of variants) {
        answers[`${name}, ${who}`] = await codeOf(call(route, request, headers));
        expected[`${name}, ${who}`] = code;
      }
      for (const gzip of [false, true]) {
        if (who !== "without a token" && "self" in route.access) continue;
        answers[`undecodable${gzip ? " gzip" : ""}, ${who}`] = await rawCode(route, headers, gzip);
        expected[`undecodable${gzip ? " gzip" : ""}, ${who}`] = code;
      }
    }
    expect(answers).toEqual(expected);
  });
});

/** Project-scoped RPCs whose request names the project: a caller with the permission only elsewhere. */
const projectRoutes = routes.filter(([, r]) => r.access.scope === "project" && !r.access.self && "projectId" in r.method.input.field);

describe("a caller with the permission on another project is refused on this one, whatever else it sends", () => {
  it.each(projectRoutes)("%s", async (rpc, route) => {
    const answers = {
      valid: await codeOf(call(route, await requestFor(rpc, { id: nobody.id, homeOrg: ts.orgId }), elsewhere)),
      "only the project": await codeOf(call(route, { projectId: w.projectId }, elsewhere)),
      "invalid in every other field": await codeOf(call(route, invalidRequest(route.method.input, 0, { projectId: w.projectId }), elsewhere)),
    };
    expect(answers).toEqual({ valid: "PermissionDenied", "only the project": "PermissionDenied", "invalid in every other field": "PermissionDenied" });
  });

  it("while an id that names no project is reported to it as malformed", async () => {
    const route = ROUTES.get("membership.v1.MembershipService/ListMemberships")!;
    expect(await codeOf(call(route, {}, elsewhere))).toBe("InvalidArgument");
    expect(await codeOf(call(route, {}, nobody.headers))).toBe("PermissionDenied");
  });
});
