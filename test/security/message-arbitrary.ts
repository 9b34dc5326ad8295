// Request messages as fast-check arbitraries, read off the generated
// descriptors, so every RPC's input is covered without a list to keep up to
// date. `typedJson` keeps to the schema (so a proto encoding exists and the
// call reaches the handler); `looseJson` puts any JSON value anywhere.
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import type { FuzzFixtures } from "./fuzz-target.ts";
import { INJECTION_STRINGS, LONE_SURROGATES } from "./injection-strings.ts";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const MAX_DEPTH = 3;

// Built from character sets rather than fc.stringMatching, which costs seconds to build per use.
const chars = (set: string) => fc.constantFrom(...set);
const word = (set: string, max: number) => fc.string({ unit: chars(set), minLength: 1, maxLength: max });
const NAME = fc.tuple(word("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1), word("abcdefghijklmnopqrstuvwxyz", 10)).map(([a, b]) => a + b);
const EMAIL = word("abcdefghijklmnopqrstuvwxyz0123456789", 10).map((local) => `${local}@example.com`);
const SLUG = word("abcdefghijklmnopqrstuvwxyz0123456789", 12).map((s) => `r${s}`);
// As a client knows them from README, not from the server's modules (which move as the code is reshaped).
const PERMISSIONS = ["project.read", "project.write", "project.member.read", "project.member.write", "project.role.write", "audit.read", "org.read", "org.user.write"];
const ROLES = ["viewer", "admin", "member", "no-access", "PROJECT_OWNER", "PROJECT_OWNER_VIEWER", "ORG_OWNER", "ORG_USER_MANAGER"];

const hintCache = new WeakMap<FuzzFixtures, Record<string, fc.Arbitrary<string>>>();

/**
 * What a well-meaning client would put in a field, by its name: the ids of
 * resources that exist, fresh emails and slugs (so creations can succeed),
 * known roles and permissions. Without these, nearly every call would stop
 * at validation and the handlers behind it would go unfuzzed.
 */
function plausible(field: string, f: FuzzFixtures): fc.Arbitrary<string> | undefined {
  let hints = hintCache.get(f);
  if (!hints) {
    const ids = fc.constantFrom(f.projectId, f.userId, f.identityId, f.membershipId, f.roleId, f.tokenId, f.orgId);
    const roles = fc.constantFrom(...ROLES, f.roleSlug);
    const permissions = fc.constantFrom(...PERMISSIONS);
    hints = {
      projectId: fc.constant(f.projectId),
      userId: fc.constant(f.userId),
      identityId: fc.constant(f.identityId),
      membershipId: fc.constant(f.membershipId),
      roleId: fc.constant(f.roleId),
      tokenId: fc.constant(f.tokenId),
      organizationId: fc.constantFrom(f.orgId, f.otherOrgId),
      actorId: ids,
      targetId: ids,
      principalId: ids,
      email: fc.oneof(fc.constant("fuzz@example.com"), EMAIL),
      emailPrefix: fc.constantFrom("", "fuzz", "f"),
      name: NAME,
      firstName: NAME,
      lastName: NAME,
      description: fc.oneof(fc.constant(""), NAME),
      slug: fc.oneof(fc.constant(f.roleSlug), SLUG),
      role: roles,
      roles,
      permission: permissions,
      permissions,
      pageToken: fc.constant(""),
      temporaryRange: fc.constantFrom("30s", "15m", "3h", "7d"),
      action: fc.constantFrom("", "membership.", "project.created"),
      service: fc.constantFrom("", "membership.v1.ProjectService"),
    };
    hintCache.set(f, hints);
  }
  return hints[field];
}

/** Strings that mean something somewhere, put anywhere. */
const anyMeaningful = (f: FuzzFixtures) => fc.constantFrom(...Object.values(f), ...ROLES, "someone@example.com", "1", "0");

export function stringArb(f: FuzzFixtures, field = ""): fc.Arbitrary<string> {
  const hint = plausible(field, f);
  return fc.oneof(
    ...(hint ? [{ weight: 16, arbitrary: hint }] : []),
    { weight: 3, arbitrary: anyMeaningful(f) },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 2, arbitrary: fc.constantFrom(...INJECTION_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom(...LONE_SURROGATES) },
    // Lengths at the limits, and astral characters where a length cut would split a surrogate pair.
    { weight: 1, arbitrary: fc.constantFrom("", " ", "x".repeat(200), "x".repeat(201), "y".repeat(1001), "a" + "🎉".repeat(100), "🎉".repeat(101)) },
  );
}

// Mostly small (page sizes, offsets), sometimes at the edges of the type.
const INT32 = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 60 }) }, fc.integer({ min: -5, max: 1100 }), fc.constantFrom(0x7fffffff, -0x80000000));
const UINT32 = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 60 }) }, fc.integer({ min: 0, max: 1100 }), fc.constant(0xffffffff));
const INT64 = fc.oneof(fc.bigInt({ min: -5n, max: 10_000n }), fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n))).map(String);
const UINT64 = fc.oneof(fc.bigInt({ min: 0n, max: 10_000n }), fc.constant(2n ** 64n - 1n)).map(String);
// RFC 3339, as protobuf JSON writes a Timestamp: mostly within a month of now
// (expiry and start times that pass validation), else anywhere in its range.
const DAY = 86_400_000;
const TIMESTAMP = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -30 * DAY, max: 30 * DAY }).map((d) => new Date(Date.now() + d)) },
  { weight: 1, arbitrary: fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }) },
).map((d) => d.toISOString());

function scalarArb(t: ScalarType, f: FuzzFixtures, field: string): fc.Arbitrary<Json> {
  switch (t) {
    case ScalarType.STRING:
      return stringArb(f, field);
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b).toString("base64"));
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return INT64;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return UINT64;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return UINT32;
    default:
      return INT32;
  }
}

function singleArb(field: DescField, f: FuzzFixtures, depth: number, loose: boolean): fc.Arbitrary<Json> {
  if (loose) {
    // Any JSON value, or a string with a lone surrogate where the schema wants a number, an enum or a message.
    const wrong = fc.oneof(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, fc.constantFrom(...LONE_SURROGATES));
    return fc.oneof({ weight: 3, arbitrary: typedSingle(field, f, depth, loose) }, { weight: 1, arbitrary: wrong });
  }
  return typedSingle(field, f, depth, loose);
}

function typedSingle(field: DescField, f: FuzzFixtures, depth: number, loose: boolean): fc.Arbitrary<Json> {
  const kind = field.fieldKind === "list" ? field.listKind : field.fieldKind;
  if (kind === "enum") {
    const values = field.enum!.values;
    return fc.oneof(fc.constantFrom(...values.map((v) => v.name)), fc.constantFrom(...values.map((v) => v.number)));
  }
  if (kind === "message") {
    const m = field.message!;
    if (m.typeName === "google.protobuf.Timestamp") return TIMESTAMP;
    if (depth >= MAX_DEPTH) return fc.constant({});
    return objectArb(m, f, depth + 1, loose);
  }
  return scalarArb(field.scalar!, f, field.jsonName);
}

function fieldArb(field: DescField, f: FuzzFixtures, depth: number, loose: boolean): fc.Arbitrary<Json> {
  if (field.fieldKind === "list") return fc.array(singleArb(field, f, depth, loose), { maxLength: 4 });
  return singleArb(field, f, depth, loose);
}

function objectArb(desc: DescMessage, f: FuzzFixtures, depth: number, loose: boolean): fc.Arbitrary<{ [k: string]: Json }> {
  // Members of a oneof: at most one is set in a typed message; a loose one may set several.
  const plain = desc.fields.filter((x) => loose || x.oneof === undefined);
  // Each field is there five times in six: most requests need most of their fields.
  const model: Record<string, fc.Arbitrary<Json | undefined>> = {};
  for (const field of plain) model[field.jsonName] = fc.option(fieldArb(field, f, depth, loose), { freq: 5, nil: undefined });
  const record = fc.record(model).map((r) => Object.fromEntries(Object.entries(r).filter((e) => e[1] !== undefined)) as { [k: string]: Json });
  if (loose || desc.oneofs.length === 0) return record;
  const oneofs = desc.oneofs.map((o) =>
    fc.option(fc.constantFrom(...o.fields).chain((field) => fieldArb(field, f, depth, loose).map((v) => ({ [field.jsonName]: v }))), { nil: {} }),
  );
  return fc.tuple(record, ...oneofs).map(([r, ...picked]) => Object.assign({}, r, ...picked));
}

/** A JSON request that follows the schema: fromJson accepts it. */
export const typedJson = (desc: DescMessage, f: FuzzFixtures) => objectArb(desc, f, 0, false);

/** A JSON request whose fields may hold any JSON value, and unknown fields. */
export const looseJson = (desc: DescMessage, f: FuzzFixtures) =>
  fc.tuple(objectArb(desc, f, 0, true), fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }), { nil: {} }))
    .map(([known, unknown]) => ({ ...(unknown as object), ...known }));
