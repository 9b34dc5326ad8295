// One fuzzed call as fast-check builds it: an RPC of the API, a request
// message that mostly follows the schema, then mutations at every layer a
// client controls — the message bytes, the envelope, the base64 of
// grpc-web-text, the content type and the headers. Mutations are rare enough
// that many calls still reach the handlers with odd but valid input.
import { fromJson, toBinary, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { AuditService } from "../../gen/membership/v1/audit_pb.js";
import { IdentityService } from "../../gen/membership/v1/identity_pb.js";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { TokenService } from "../../gen/membership/v1/token_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { ManagementService } from "../../gen/zitadel/management_pb.js";
import type { FuzzFixtures } from "./fuzz-target.ts";
import { headersArb } from "./header-arbitrary.ts";
import { looseJson, typedJson } from "./message-arbitrary.ts";
import { contentTypeOf, enveloped, type WireProtocol } from "./wire-protocols.ts";
import { frame } from "../helpers/raw-grpc-web-text-transport.ts";

export interface Rpc {
  path: string;
  input: DescMessage;
  streaming: boolean;
}

const SERVICES = [OrganizationService, UserService, IdentityService, ProjectService, TokenService, MembershipService, AuditService, ManagementService, Health];

export const RPCS: readonly Rpc[] = SERVICES.flatMap((s) =>
  s.methods.map((m) => ({ path: `/${s.typeName}/${m.name}`, input: m.input, streaming: m.methodKind === "server_streaming" })),
);

export interface WireCase {
  path: string;
  streaming: boolean;
  headers: Record<string, string>;
  body: Buffer;
  /** The mutations applied, for the report. */
  tags: string[];
}

interface Mutation {
  tag: string;
  apply(b: Buffer): Buffer;
}
const keep: Mutation = { tag: "", apply: (b) => b };
const mutation = (tag: string, apply: (b: Buffer) => Buffer): Mutation => ({ tag, apply });
/** Leaves the bytes alone three times in four, else applies one of `alts`. */
const maybe = (...alts: fc.Arbitrary<Mutation>[]) =>
  fc.oneof({ weight: 3 * alts.length, arbitrary: fc.constant(keep) }, ...alts.map((arbitrary) => ({ weight: 1, arbitrary })));
const at = (b: Buffer, i: number) => (b.length === 0 ? 0 : i % (b.length + 1));
const insert = (b: Buffer, i: number, extra: Uint8Array) => Buffer.concat([b.subarray(0, at(b, i)), extra, b.subarray(at(b, i))]);
const varint = (n: number) => {
  const out: number[] = [];
  for (; n > 0x7f; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
  return Buffer.from([...out, n]);
};

const INVALID_UTF8 = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80]].map((b) => Buffer.from(b));

/** Byte-level damage that fits any body. */
const byteMutations = [
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([i, bit]) => mutation("bit-flip", (b) => {
    const c = Buffer.from(b);
    if (c.length) c[i % c.length]! ^= 1 << bit;
    return c;
  })),
  fc.nat().map((i) => mutation("truncated", (b) => b.subarray(0, at(b, i) === b.length ? Math.max(0, b.length - 1) : at(b, i)))),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([i, x]) => mutation("inserted-bytes", (b) => insert(b, i, x))),
  fc.tuple(fc.nat(), fc.constantFrom(...INVALID_UTF8)).map(([i, x]) => mutation("invalid-utf8", (b) => insert(b, i, x))),
  fc.uint8Array({ maxLength: 64 }).map((x) => mutation("random-bytes", () => Buffer.from(x))),
];

/** Protobuf-specific damage: fields that lie about their type or length. */
const protoMutations = [
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom(...INVALID_UTF8)).map(([n, x]) =>
    mutation("invalid-utf8-field", (b) => Buffer.concat([b, varint((n << 3) | 2), varint(x.length), x]))),
  fc.integer({ min: 1, max: 8 }).map((n) => mutation("varint-overflow", (b) => Buffer.concat([b, varint(n << 3), Buffer.alloc(11, 0xff)]))),
  fc.integer({ min: 1, max: 8 }).map((n) => mutation("length-beyond-end", (b) => Buffer.concat([b, varint((n << 3) | 2), varint(0xffffffff)]))),
  fc.tuple(fc.integer({ min: 0, max: 2 ** 29 - 1 }), fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 6 })).map(([n, wt, x]) =>
    mutation("odd-field", (b) => Buffer.concat([b, varint(n * 8 + wt), x]))),
];

/** A member's value in JSON text: a string, a number or a literal. */
const JSON_VALUE = /:\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)/g;

/** JSON-specific damage, on the text before it becomes bytes. */
const jsonMutations: fc.Arbitrary<Mutation>[] = [
  fc.integer({ min: 1, max: 60_000 }).map((d) => mutation("deep-nesting", (b) => Buffer.from(`{"x":${"[".repeat(d)}${"]".repeat(d)}}`))),
  fc.tuple(fc.constantFrom("1e400", "-1e400", "123456789012345678901234567890", "-0", "1.5", "9007199254740993", "1e-400"), fc.nat()).map(([n, i]) =>
    mutation("huge-number", (b) => {
      const s = b.toString("utf8");
      const target = i % Math.max(1, (s.match(JSON_VALUE) ?? []).length);
      let k = 0;
      return Buffer.from(s.replace(JSON_VALUE, (m) => (k++ === target ? `:${n}` : m)));
    })),
  fc.constant(mutation("duplicate-keys", (b) => {
    const s = b.toString("utf8");
    return s.length > 2 && s.startsWith("{") ? Buffer.from(`${s.slice(0, -1)},${s.slice(1)}`) : b;
  })),
  fc.constantFrom("", "null", "[]", "1", '"s"', "true", "{", "\ufeff{}", "{}garbage", '{"a":"\\ud800"}', '{"__proto__":{"x":1}}').map((t) =>
    mutation("json-document", () => Buffer.from(t))),
];

function messageArb(p: WireProtocol, rpc: Rpc, f: FuzzFixtures): fc.Arbitrary<{ bytes: Buffer; tags: string[] }> {
  if (p.json) {
    const doc = fc.oneof({ weight: 3, arbitrary: typedJson(rpc.input, f) }, { weight: 1, arbitrary: looseJson(rpc.input, f) });
    return fc.tuple(doc, maybe(...jsonMutations, ...byteMutations)).map(([d, m]) => ({ bytes: m.apply(Buffer.from(JSON.stringify(d))), tags: [m.tag] }));
  }
  // Protobuf strings are UTF-8: a lone surrogate goes out as U+FFFD, as any protobuf client would send it.
  const utf8 = (d: unknown) => JSON.parse(JSON.stringify(d), (_k, v: unknown) => (typeof v === "string" ? v.replace(/\p{Cs}/gu, "\ufffd") : v));
  const binary = typedJson(rpc.input, f).map((d) => Buffer.from(toBinary(rpc.input, fromJson(rpc.input, utf8(d)))));
  return fc.tuple(binary, maybe(...protoMutations, ...byteMutations)).map(([bytes, m]) => ({ bytes: m.apply(bytes), tags: [m.tag] }));
}

/** Envelope damage: flags, a length that lies, a second or cut frame, a compressed flag. */
function envelopeArb(): fc.Arbitrary<{ tag: string; wrap(message: Buffer): Buffer; encoding?: string }> {
  const plain = (tag: string, wrap: (m: Buffer) => Buffer) => ({ tag, wrap });
  return fc.oneof(
    { weight: 24, arbitrary: fc.constant(plain("", (m) => frame(0, m))) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 255 }).map((flags) => plain(`flags-${flags}`, (m) => frame(flags, m))) },
    { weight: 1, arbitrary: fc.constantFrom(-2, -1, 1, 2, 1000, 0xffffffff).map((d) => plain(`length${d > 0 ? "+" : ""}${d}`, (m) => {
      const f = frame(0, m);
      f.writeUInt32BE(Math.min(0xffffffff, Math.max(0, d === 0xffffffff ? d : m.length + d)), 1);
      return f;
    })) },
    { weight: 1, arbitrary: fc.nat().map((i) => plain("cut-frame", (m) => { const f = frame(0, m); return f.subarray(0, i % f.length); })) },
    { weight: 1, arbitrary: fc.constant(plain("two-frames", (m) => Buffer.concat([frame(0, m), frame(0, m)]))) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4 }).map((x) => plain("trailing-bytes", (m) => Buffer.concat([frame(0, m), x]))) },
    { weight: 1, arbitrary: fc.constant(plain("compressed-flag-without-encoding", (m) => frame(1, m))) },
    { weight: 1, arbitrary: fc.constant({ tag: "gzip", wrap: (m: Buffer) => frame(1, gzipSync(m)), encoding: "gzip" }) },
    { weight: 1, arbitrary: fc.constant({ tag: "gzip-flag-plain-payload", wrap: (m: Buffer) => frame(1, m), encoding: "gzip" }) },
  );
}

/** Damage to the base64 of grpc-web-text. */
const base64Mutations = [
  fc.tuple(fc.nat(), fc.constantFrom("!", "*", "-", "_", "é", "=", " ", "\n", "==")).map(([i, c]) => mutation("base64-odd-char", (b) => insert(b, i, Buffer.from(c)))),
  fc.integer({ min: 1, max: 3 }).map((n) => mutation("base64-cut", (b) => b.subarray(0, Math.max(0, b.length - n)))),
];

/** Cases of every RPC; the arbitraries are built once per RPC, as building them costs far more than drawing from them. */
export function wireCaseArb(p: WireProtocol, token: string, f: FuzzFixtures): fc.Arbitrary<WireCase> {
  return fc.oneof(...RPCS.map((rpc) => rpcCaseArb(p, rpc, token, f)));
}

function rpcCaseArb(p: WireProtocol, rpc: Rpc, token: string, f: FuzzFixtures): fc.Arbitrary<WireCase> {
  const body = enveloped(p, rpc.streaming) ? envelopedBodyArb(p, rpc, f) : bareBodyArb(p, rpc, f);
  return fc.tuple(body, headersArb(p, contentTypeOf(p, rpc.streaming), token, f)).map(([b, h]) => {
    const headers = { ...h.headers };
    const encodingHeader = p.family !== "connect" ? "grpc-encoding" : rpc.streaming ? "connect-content-encoding" : "content-encoding";
    if (b.encoding) headers[encodingHeader] ??= b.encoding;
    return { path: rpc.path, streaming: rpc.streaming, headers, body: b.bytes, tags: [...b.tags, ...h.tags].filter((t) => t !== "") };
  });
}

type Body = { bytes: Buffer; tags: string[]; encoding: string | undefined };

/** One envelope (or a damaged one), in base64 for grpc-web-text. */
function envelopedBodyArb(p: WireProtocol, rpc: Rpc, f: FuzzFixtures): fc.Arbitrary<Body> {
  const b64 = p.family === "grpc-web-text" ? maybe(...base64Mutations) : fc.constant(keep);
  return fc.tuple(messageArb(p, rpc, f), envelopeArb(), b64).map(([m, env, text]) => {
    const framed = env.wrap(m.bytes);
    const bytes = p.family === "grpc-web-text" ? text.apply(Buffer.from(framed.toString("base64"))) : framed;
    return { bytes, tags: [...m.tags, env.tag, text.tag], encoding: env.encoding };
  });
}

/** A Connect unary body: the message itself, gzipped now and then. */
function bareBodyArb(p: WireProtocol, rpc: Rpc, f: FuzzFixtures): fc.Arbitrary<Body> {
  const gzip = fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  return fc.tuple(messageArb(p, rpc, f), gzip).map(([m, zipped]) =>
    zipped ? { bytes: gzipSync(m.bytes), tags: [...m.tags, "gzip"], encoding: "gzip" } : { ...m, encoding: undefined });
}
