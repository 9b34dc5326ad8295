// What the console's member rows say about time: the two largest units of
// what is left of a temporary role, whether it has started, and when it is over.
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { MembershipRoleSchema } from "../../gen/membership/v1/membership_pb.js";
import { duration, expiryText } from "../../console/src/member-model.ts";

const NOW = Date.UTC(2026, 0, 1, 12);
const H = 3_600_000;
const role = (startMs: number, endMs: number) =>
  create(MembershipRoleSchema, { role: "member", isTemporary: true, temporaryAccessStartTime: timestampFromMs(startMs), temporaryAccessEndTime: timestampFromMs(endMs) });

describe("duration", () => {
  it("names the two largest units, leaving out zeros", () => {
    expect([0, 30_000, 45 * 60_000, 3 * H, 3 * H - 60_000, 50 * H + 7 * 60_000, 7 * 24 * H].map(duration)).toEqual(["0s", "30s", "45m", "3h", "2h 59m", "2d 2h", "7d"]);
  });
});

describe("expiryText", () => {
  it("says nothing for a permanent role", () => {
    expect(expiryText(create(MembershipRoleSchema, { role: "viewer" }), NOW)).toBe("");
  });
  it("counts down a running window, says when one starts, and when it is over", () => {
    expect(expiryText(role(NOW - H, NOW + 2 * H + 30 * 60_000), NOW)).toBe("2h 30m left");
    expect(expiryText(role(NOW + 24 * H, NOW + 27 * H), NOW)).toBe("starts in 1d");
    expect(expiryText(role(NOW - 3 * H, NOW), NOW)).toBe("expired");
  });
});
