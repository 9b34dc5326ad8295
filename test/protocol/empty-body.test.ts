// A request whose body is empty may end the stream with its headers. The
// fast path reads the body only once the caller is admitted, by which time
// that end has been signalled: the call must still be answered, over both
// HTTP versions. An empty Connect proto body is a valid empty message.
import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListProjectsResponseSchema } from "../../gen/membership/v1/project_pb.js";
import { createWorld } from "../helpers/fixtures.ts";
import { exchange } from "../helpers/raw-exchange.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
  await createWorld(ts); // one project to list
});
afterAll(() => ts.close());

describe("an empty request body", () => {
  it.each([1, 2] as const)("is answered over HTTP/%s", async (http) => {
    const res = await exchange(ts.url, {
      http,
      path: "/membership.v1.ProjectService/ListProjects",
      headers: { "content-type": "application/proto", authorization: `Bearer ${ts.adminToken}` },
      body: Buffer.alloc(0),
    });
    expect([res.status, res.headers["content-type"]]).toEqual([200, "application/proto"]);
    expect(fromBinary(ListProjectsResponseSchema, res.body).projects).toHaveLength(1);
  });

  it.each([1, 2] as const)("without a token is refused over HTTP/%s", async (http) => {
    const res = await exchange(ts.url, {
      http,
      path: "/membership.v1.ProjectService/ListProjects",
      headers: { "content-type": "application/proto" },
      body: Buffer.alloc(0),
    });
    expect([res.status, JSON.parse(res.body.toString()).code]).toEqual([401, "unauthenticated"]);
  });
});
