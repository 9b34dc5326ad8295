import { Code } from "@connectrpc/connect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeGrpcMessage } from "../../src/edge/grpc-message.ts";
import { errorOf } from "../helpers/call-outcomes.ts";
import { useWorld } from "../helpers/fixtures.ts";
import { protocol } from "../helpers/protocol-matrix.ts";

describe("encodeGrpcMessage", () => {
  it("encodes only what the gRPC spec asks, and decodes back with decodeURI and decodeURIComponent", () => {
    expect(encodeGrpcMessage("project_id: is required (A-B)")).toBe("project_id: is required (A-B)");
    expect(encodeGrpcMessage("50% über\n")).toBe("50%25 %C3%BCber%0A");
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const e = encodeGrpcMessage(s);
        expect(/^[\x20-\x7e]*$/.test(e)).toBe(true);
        expect(decodeURIComponent(e)).toBe(s);
        expect(decodeURI(e)).toBe(s);
      }),
    );
  });
});

describe("grpc-message as an independent gRPC client reads it", () => {
  const w = useWorld({ protocol: protocol("grpc-js h2c") });

  it("arrives decoded through @grpc/grpc-js", async () => {
    const err = await errorOf(w.c.members.addProjectMember({ projectId: "", userId: "u" }, w.admin));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain("project_id:");
    expect(err.rawMessage).not.toContain("%3A");
  });
});
