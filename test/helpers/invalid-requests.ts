// Requests that are wrong in every field, built from a method's input
// descriptor: every string too long and holding a control character, every
// number out of range, every enum unknown, every list too long, every
// timestamp beyond what a date holds, every oneof set to its first member.
// No RPC accepts one; what it answers tells whether it validated before it
// authorized.
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";

const BAD_TEXT = "\u0000" + "x".repeat(300);
const LIST_LENGTH = 60;

function scalar(t: ScalarType): unknown {
  switch (t) {
    case ScalarType.STRING:
      return BAD_TEXT;
    case ScalarType.BYTES:
      return new Uint8Array([0xff, 0xfe]);
    case ScalarType.BOOL:
      return true;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return Number.NaN;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return 0xffffffff;
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return -1;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return 2n ** 64n - 1n;
    default:
      return -1n;
  }
}

function message(m: DescMessage, depth: number): Record<string, unknown> {
  if (m.typeName === "google.protobuf.Timestamp") return { seconds: 10n ** 15n, nanos: 0 };
  return depth > 2 ? {} : invalidRequest(m, depth + 1);
}

function value(f: DescField, depth: number): unknown {
  switch (f.fieldKind) {
    case "scalar":
      return scalar(f.scalar);
    case "enum":
      return 99;
    case "message":
      return message(f.message, depth);
    case "list": {
      const one = f.listKind === "scalar" ? scalar(f.scalar) : f.listKind === "enum" ? 99 : message(f.message, depth);
      return Array.from({ length: LIST_LENGTH }, () => one);
    }
    case "map":
      return {};
  }
}

/** A request init object wrong in every field; `keep` fields are set as given. */
export function invalidRequest(m: DescMessage, depth = 0, keep: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of m.fields) if (!f.oneof) out[f.localName] = value(f, depth);
  for (const o of m.oneofs) out[o.localName] = { case: o.fields[0]!.localName, value: value(o.fields[0]!, depth) };
  return { ...out, ...keep };
}
