// The gRPC-web trailer frame carries grpc-message in the gRPC spec's
// percent-encoding (only "%" and bytes outside printable ASCII are escaped),
// as gRPC's own trailers do: grpc-web clients that decode with decodeURI, or
// not at all, read the message as written.
import { create, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { beforeAll, describe, expect, it } from "vitest";
import { WatchMembershipsRequestSchema } from "../../gen/membership/v1/membership_pb.js";
import { GetProjectRequestSchema } from "../../gen/membership/v1/project_pb.js";
import { useWorld } from "../helpers/fixtures.ts";
import { decodeBase64Runs, frame } from "../helpers/raw-grpc-web-text-transport.ts";
import { h1Request } from "../transport/helpers.ts";

const w = useWorld({ per: "suite" });
beforeAll(async () => {
  await w.c.members.addProjectMember({ projectId: w.projectId, userId: (await w.newUser()).id }, w.admin);
});

// Spaces, a "%" and a non-ASCII letter in an id the server repeats in its message.
const ODD_ID = "a b%é";
const EXPECTED_MESSAGE = "project a b%25%C3%A9 not found";

/** The raw lines of the last frame, which must be the trailer frame (flag 0x80), and the number of frames before it. */
function trailerLines(body: Buffer): { lines: string[]; before: number } {
  let at = 0;
  let frames = 0;
  let last: { flags: number; payload: Buffer } | undefined;
  while (at < body.length) {
    const len = body.readUInt32BE(at + 1);
    last = { flags: body[at]!, payload: body.subarray(at + 5, at + 5 + len) };
    expect(last.payload.length).toBe(len);
    at += 5 + len;
    frames++;
  }
  expect(last?.flags).toBe(0x80);
  return { lines: last!.payload.toString("latin1").split("\r\n").filter((l) => l !== "").sort(), before: frames - 1 };
}

const CALLS: { kind: string; path: string; message(): Buffer; headers: Record<string, string>; expected: { lines: string[]; before: number } }[] = [
  {
    kind: "unary",
    path: "/membership.v1.ProjectService/GetProject",
    message: () => msg(GetProjectRequestSchema, { projectId: ODD_ID }),
    headers: {},
    expected: { lines: [`grpc-message: ${EXPECTED_MESSAGE}`, "grpc-status: 5"], before: 0 },
  },
  {
    kind: "server-streaming",
    path: "/membership.v1.MembershipService/WatchMemberships",
    message: () => msg(WatchMembershipsRequestSchema, { projectId: ODD_ID }),
    headers: {},
    expected: { lines: [`grpc-message: ${EXPECTED_MESSAGE}`, "grpc-status: 5"], before: 0 },
  },
  {
    // One event, then the deadline: the trailer frame follows a message frame.
    kind: "server-streaming (after a message)",
    path: "/membership.v1.MembershipService/WatchMemberships",
    message: () => msg(WatchMembershipsRequestSchema, { projectId: w.projectId }),
    headers: { "grpc-timeout": "200m" },
    expected: { lines: ["grpc-message: deadline exceeded", "grpc-status: 4"], before: 1 },
  },
];

function msg<D extends DescMessage>(schema: D, init: MessageInitShape<D>): Buffer {
  return frame(0, toBinary(schema, create(schema, init)));
}

describe.each(CALLS)("gRPC-web trailer frame of a $kind call", (call) => {
  it.each([
    { mode: "binary", contentType: "application/grpc-web+proto" },
    { mode: "text", contentType: "application/grpc-web-text" },
  ])("keeps spaces and encodes only % and non-ASCII in $mode mode", async ({ mode, contentType }) => {
    const body = mode === "text" ? call.message().toString("base64") : call.message();
    const res = await h1Request(w.ts.url, {
      method: "POST",
      path: call.path,
      headers: { "content-type": contentType, authorization: `Bearer ${w.ts.adminToken}`, ...call.headers },
      body,
    });
    expect(res.status).toBe(200);
    const bytes = mode === "text" ? decodeBase64Runs(res.body.toString("latin1")) : res.body;
    expect(trailerLines(bytes)).toEqual(call.expected);
  });
});
