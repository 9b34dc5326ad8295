import { Code, ConnectError } from "@connectrpc/connect";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { encodeGrpcMessage } from "../../src/edge/grpc-message.ts";
import { PROTOCOLS, startMatrixServer, type MatrixServer } from "../helpers/protocol-matrix.ts";
import { auth } from "../helpers/server.ts";

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
  const grpcJs = PROTOCOLS.find((p) => p.name.includes("grpc-js") && !p.tls)!;
  let ms: MatrixServer;
  beforeEach(async () => {
    ms = await startMatrixServer(grpcJs);
  });
  afterEach(() => ms.close());

  it("arrives decoded through @grpc/grpc-js", async () => {
    const members = ms.client(MembershipService);
    const err = await members.addProjectMember({ projectId: "", userId: "u" }, auth(ms.adminToken)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toContain("project_id:");
    expect((err as ConnectError).rawMessage).not.toContain("%3A");
  });
});
