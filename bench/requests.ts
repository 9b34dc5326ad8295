// What the load generators send: the wire protocols (headers and body
// encoding) and the scenarios (which RPC, which message for request i).
// Bodies are encoded here, before any timing starts.
import { create, toBinary, toJsonString, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import {
  AddProjectMemberRequestSchema,
  CheckAccessRequestSchema,
  ListMembershipsRequestSchema,
  UpdateIdentityMembershipRequestSchema,
} from "../gen/membership/v1/membership_pb.js";
import type { SeedInfo } from "./seed.ts";

export type ProtocolId = "grpc" | "connect-proto" | "connect-json" | "connect-proto-h1" | "connect-json-h1" | "grpc-web-h1";

export interface Protocol {
  id: ProtocolId;
  label: string;
  http1: boolean;
  headers: Record<string, string>;
  encode<T extends DescMessage>(schema: T, msg: MessageInitShape<T>): Buffer;
}

/** The gRPC and gRPC-web length-prefixed message: flag byte 0, 4-byte big-endian length. */
function frame(bin: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + bin.length);
  out.writeUInt32BE(bin.length, 1);
  out.set(bin, 5);
  return out;
}
const binary = <T extends DescMessage>(s: T, m: MessageInitShape<T>) => Buffer.from(toBinary(s, create(s, m)));
const json = <T extends DescMessage>(s: T, m: MessageInitShape<T>) => Buffer.from(toJsonString(s, create(s, m)));
const connect = { "connect-protocol-version": "1" };

export const PROTOCOLS: Record<ProtocolId, Protocol> = {
  grpc: { id: "grpc", label: "gRPC h2c", http1: false, headers: { "content-type": "application/grpc", te: "trailers" }, encode: (s, m) => frame(binary(s, m)) },
  "connect-proto": { id: "connect-proto", label: "Connect proto h2c", http1: false, headers: { "content-type": "application/proto", ...connect }, encode: binary },
  "connect-json": { id: "connect-json", label: "Connect JSON h2c", http1: false, headers: { "content-type": "application/json", ...connect }, encode: json },
  "connect-proto-h1": { id: "connect-proto-h1", label: "Connect proto HTTP/1.1", http1: true, headers: { "content-type": "application/proto", ...connect }, encode: binary },
  "connect-json-h1": { id: "connect-json-h1", label: "Connect JSON HTTP/1.1", http1: true, headers: { "content-type": "application/json", ...connect }, encode: json },
  "grpc-web-h1": { id: "grpc-web-h1", label: "gRPC-web HTTP/1.1", http1: true, headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" }, encode: (s, m) => frame(binary(s, m)) },
};

export type ScenarioId = "check-access" | "list-memberships" | "add-project-member" | "update-identity-membership" | "mix";

export interface Scenario {
  id: ScenarioId;
  label: string;
  /** Bodies differ per request: only the Node generator can send these. */
  varying: boolean;
  /** How many writes requests 0..i-1 of a run perform: a run of n requests advances the write cursor by writesBefore(n). */
  writesBefore(i: number): number;
}

export interface WireRequest {
  path: string;
  body: Buffer;
}

const SERVICE = "/membership.v1.MembershipService/";
const WRITE_EVERY = 10; // the mix: request i is a write when i % 10 === 9, so 90 % reads

export const SCENARIOS: Record<ScenarioId, Scenario> = {
  "check-access": { id: "check-access", label: "CheckAccess (another member)", varying: false, writesBefore: () => 0 },
  "list-memberships": { id: "list-memberships", label: "ListMemberships (50 of 10k)", varying: false, writesBefore: () => 0 },
  "add-project-member": { id: "add-project-member", label: "AddProjectMember (distinct users)", varying: true, writesBefore: (i) => i },
  "update-identity-membership": { id: "update-identity-membership", label: "UpdateIdentityMembership", varying: true, writesBefore: (i) => i },
  mix: { id: "mix", label: "Mix 90 % CheckAccess / 10 % AddProjectMember", varying: true, writesBefore: (i) => Math.floor(i / WRITE_EVERY) },
};

/**
 * Request `i` of a run whose writes start at `cursor` (the server's count of
 * writes so far), so that every AddProjectMember adds a user not yet in the
 * project, and every UpdateIdentityMembership flips the identity's role.
 */
export function buildRequest(seed: SeedInfo, scenario: ScenarioId, p: Protocol, i: number, cursor: number): WireRequest {
  const users = seed.users.length;
  const checkAccess = (u: number): WireRequest => ({
    path: SERVICE + "CheckAccess",
    body: p.encode(CheckAccessRequestSchema, {
      projectId: seed.projects[0]!,
      subject: { case: "userId", value: seed.users[u % users]! },
      permission: "project.read",
    }),
  });
  // (project 1..19, user) pairs: 190,000 distinct additions before they repeat.
  const addMember = (w: number): WireRequest => ({
    path: SERVICE + "AddProjectMember",
    body: p.encode(AddProjectMemberRequestSchema, {
      projectId: seed.projects[1 + (Math.floor(w / users) % (seed.projects.length - 1))]!,
      userId: seed.users[w % users]!,
      roles: ["viewer"],
    }),
  });
  switch (scenario) {
    case "check-access":
      return checkAccess(4242);
    case "list-memberships":
      return { path: SERVICE + "ListMemberships", body: p.encode(ListMembershipsRequestSchema, { projectId: seed.projects[0]!, pageSize: 50 }) };
    case "add-project-member":
      return addMember(cursor + i);
    case "update-identity-membership": {
      const w = cursor + i;
      const n = w % seed.identities.length;
      // Seeded as viewer: the first round sets member, the next viewer again, so no update is a no-op.
      const role = Math.floor(w / seed.identities.length) % 2 === 0 ? "member" : "viewer";
      return {
        path: SERVICE + "UpdateIdentityMembership",
        body: p.encode(UpdateIdentityMembershipRequestSchema, {
          projectId: seed.identityProject[n]!,
          identityId: seed.identities[n]!,
          roles: [{ role }],
        }),
      };
    }
    case "mix":
      return i % WRITE_EVERY === WRITE_EVERY - 1 ? addMember(cursor + SCENARIOS.mix.writesBefore(i)) : checkAccess(i * 7919);
  }
}
