// A grpc-web-text stream over raw HTTP/1.1, read the way Google's browser
// client reads it: each event has to be decodable from the bytes received
// so far, before the server has anything more to send.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as http from "node:http";
import { describe, expect, it } from "vitest";
import { WatchMembershipsRequestSchema, WatchMembershipsResponseSchema } from "../../gen/membership/v1/membership_pb.js";
import { useWorld } from "../helpers/fixtures.ts";
import { decodeBase64Runs, frame, parseFrames } from "../helpers/raw-grpc-web-text-transport.ts";
import { until } from "../transport/helpers.ts";

const w = useWorld();

/** Frames decodable from `text`, or null while a frame is still incomplete. */
function framesSoFar(text: string) {
  try {
    return parseFrames(decodeBase64Runs(text));
  } catch {
    return null;
  }
}

describe("grpc-web-text WatchMemberships over raw HTTP/1.1", () => {
  it("delivers each event decodable on its own, before the next one exists", async () => {
    const request = toBinary(WatchMembershipsRequestSchema, create(WatchMembershipsRequestSchema, { projectId: w.projectId }));
    let text = "";
    const req = http.request(`${w.ts.url}/membership.v1.MembershipService/WatchMemberships`, {
      method: "POST",
      agent: false,
      headers: {
        "content-type": "application/grpc-web-text",
        accept: "application/grpc-web-text",
        "x-grpc-web": "1",
        authorization: `Bearer ${w.ts.adminToken}`,
      },
    });
    req.on("response", (res) => res.on("data", (c: Buffer) => (text += c.toString("latin1"))));
    req.on("error", () => {});
    req.end(frame(0, request).toString("base64"));

    // Names of different lengths give frames of different sizes, so the
    // received length is not always a multiple of three.
    const names = ["a", "bb", "ccc", "dddd"];
    const principals: string[] = [];
    for (const [i, name] of names.entries()) {
      const user = await w.newUser(`${name}${Date.now()}`);
      principals.push(user.id);
      await w.c.members.addProjectMember({ projectId: w.projectId, userId: user.id }, w.admin);
      await until(() => (framesSoFar(text)?.messages.length ?? 0) === i + 1, 5000);
    }
    const got = framesSoFar(text)!;
    expect(got.messages.map((m) => fromBinary(WatchMembershipsResponseSchema, m).event!.after!["principalId"])).toEqual(principals);
    expect([...got.trailer.keys()]).toEqual([]);
    req.destroy();
  });
});
