// Request messages as fast-check arbitraries, read off the generated
// descriptors, so every RPC's input is covered without a list to keep up to
// date. `typedJson` keeps to the schema (so a proto encoding exists and the
// call reaches the handler); `looseJson` puts any JSON value anywhere.
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import type { FuzzFixtures } from "./fuzz-target.ts";
import { INJECTION_STRINGS } from "./injection-strings.ts";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const MAX_DEPTH = 3;

/** Strings that mean something to the server: ids that exist, role slugs, emails, permissions. */
function meaningfulStrings(f: FuzzFixtures): string[] {
  return [
    ...Object.values(f),
    "viewer", "admin", "member", "no-access", "PROJECT_OWNER", "ORG_OWNER", "project.read", "project.member.write",
    "someone@example.com", "fuzz@example.com", "membership.", "1", "0",
  ];
}

export function stringArb(f: FuzzFixtures): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...meaningfulStrings(f)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 2, arbitrary: fc.constantFrom(...INJECTION_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "x".repeat(201), "y".repeat(1001)) },
  );
}

const INT32 = fc.oneof(fc.integer({ min: -5, max: 1100 }), fc.constantFrom(0x7fffffff, -0x80000000));
const UINT32 = fc.oneof(fc.integer({ min: 0, max: 1100 }), fc.constant(0xffffffff));
const INT64 = fc.oneof(fc.bigInt({ min: -5n, max: 10_000n }), fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n))).map(String);
const UINT64 = fc.oneof(fc.bigInt({ min: 0n, max: 10_000n }), fc.constant(2n ** 64n - 1n)).map(String);
// RFC 3339, as protobuf JSON writes a Timestamp; years 1..9999 are its range.
const TIMESTAMP = fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString());

function scalarArb(t: ScalarType, f: FuzzFixtures): fc.Arbitrary<Json> {
  switch (t) {
    case ScalarType.STRING:
      return stringArb(f);
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
  if (loose) return fc.oneof({ weight: 3, arbitrary: typedSingle(field, f, depth, loose) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> });
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
  return scalarArb(field.scalar!, f);
}

function fieldArb(field: DescField, f: FuzzFixtures, depth: number, loose: boolean): fc.Arbitrary<Json> {
  if (field.fieldKind === "list") return fc.array(singleArb(field, f, depth, loose), { maxLength: 4 });
  return singleArb(field, f, depth, loose);
}

function objectArb(desc: DescMessage, f: FuzzFixtures, depth: number, loose: boolean): fc.Arbitrary<{ [k: string]: Json }> {
  // Members of a oneof: at most one is set in a typed message; a loose one may set several.
  const plain = desc.fields.filter((x) => loose || x.oneof === undefined);
  const model: Record<string, fc.Arbitrary<Json>> = {};
  for (const field of plain) model[field.jsonName] = fieldArb(field, f, depth, loose);
  const record = fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<{ [k: string]: Json }>;
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
