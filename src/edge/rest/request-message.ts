// Builds an RPC's request message from an HTTP request the way
// google.api.http describes it: the body (all of it for `body: "*"`, or one
// top-level field), then query parameters for what the body does not carry,
// then the path variables, which win. Query parameters name fields by their
// proto or JSON names, dotted into nested messages; a repeated field takes
// the parameter several times; enums take a name or a number.
import { create, fromJson, mergeFromJson, ScalarType, type DescField, type DescMessage, type JsonObject, type JsonValue, type Message } from "@bufbuild/protobuf";
import { DomainError, invalidArgument } from "../../kernel/errors.ts";

/** The request as the HTTP layer saw it. */
export interface HttpParts {
  body: Uint8Array;
  /** Path variables by dotted field path, as the template names them. */
  pathValues: ReadonlyMap<string, string>;
  query: URLSearchParams;
}

/** What the binding says about the body: none, all of it, or one field. */
export type BodyRule = { kind: "none" } | { kind: "all" } | { kind: "field"; field: DescField };

/** Messages whose JSON form is a string or a scalar, so a query parameter can set them. */
const STRING_LIKE = new Set([
  "google.protobuf.Timestamp",
  "google.protobuf.Duration",
  "google.protobuf.FieldMask",
  "google.protobuf.StringValue",
  "google.protobuf.BytesValue",
  "google.protobuf.Int32Value",
  "google.protobuf.UInt32Value",
  "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value",
  "google.protobuf.FloatValue",
  "google.protobuf.DoubleValue",
  "google.protobuf.BoolValue",
]);

const findField = (desc: DescMessage, name: string) => desc.fields.find((f) => f.name === name || f.jsonName === name);

/** "filter.email_prefix" → the fields along the way, or undefined when a name is not a field. */
export function resolveFieldPath(desc: DescMessage, path: readonly string[]): DescField[] | undefined {
  const fields: DescField[] = [];
  let at: DescMessage | undefined = desc;
  for (const name of path) {
    const field: DescField | undefined = at && findField(at, name);
    if (!field) return undefined;
    fields.push(field);
    at = field.fieldKind === "message" && !STRING_LIKE.has(field.message.typeName) ? field.message : undefined;
  }
  return fields;
}

const TRUE = new Set(["true", "True", "TRUE", "t", "T", "1"]);
const FALSE = new Set(["false", "False", "FALSE", "f", "F", "0"]);

/** A query or path string as the JSON value fromJson expects for the field; null when the field cannot take one. */
function leafValue(field: DescField, raw: string): JsonValue | null {
  const kind = field.fieldKind === "list" ? field.listKind : field.fieldKind;
  const scalar = kind === "scalar" ? (field as { scalar: ScalarType }).scalar : undefined;
  const message = kind === "message" ? (field as { message: DescMessage }).message.typeName : undefined;
  if (scalar === ScalarType.BOOL || message === "google.protobuf.BoolValue") {
    return TRUE.has(raw) ? true : FALSE.has(raw) ? false : raw;
  }
  if (kind === "enum") return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (kind === "scalar" || (message !== undefined && STRING_LIKE.has(message))) return raw;
  return null;
}

/** {a: {b: value}} for the field path a.b; values.length > 1 only for a repeated leaf. */
function nest(desc: DescMessage, name: string, values: string[], what: string): JsonObject {
  const fields = resolveFieldPath(desc, name.split("."));
  if (!fields) throw invalidArgument(what, `${desc.typeName} has no field ${name}`);
  const leaf = fields[fields.length - 1]!;
  if (leaf.fieldKind === "map") throw invalidArgument(what, `${name} is a map and cannot be set from the URL`);
  if (leaf.fieldKind !== "list" && values.length > 1) throw invalidArgument(what, `${name} is not repeated but is given ${values.length} times`);
  const converted = values.map((v) => leafValue(leaf, v));
  if (converted.includes(null)) throw invalidArgument(what, `${name} is a message; set its fields, as ${name}.<field>`);
  let json: JsonValue = leaf.fieldKind === "list" ? (converted as JsonValue[]) : converted[0]!;
  for (let i = fields.length - 1; i >= 0; i--) json = { [fields[i]!.jsonName]: json };
  return json as JsonObject;
}

/** Runs a fromJson step and reports its failure as the client's, naming where the value came from. */
function step<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof DomainError || !(err instanceof Error)) throw err;
    throw invalidArgument(what, err.message);
  }
}

function parseBody(bytes: Uint8Array): JsonValue | undefined {
  if (bytes.byteLength === 0) return undefined;
  return step("request body", () => JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as JsonValue);
}

/**
 * The request message; every fault of the client's making is an
 * invalid_argument DomainError. Unknown names are such a fault unless
 * `ignoreUnknown`: grpc-gateway as ZITADEL runs it drops unknown body fields
 * and enum names (protojson's DiscardUnknown) and unknown query parameters.
 */
export function buildRequest(desc: DescMessage, body: BodyRule, parts: HttpParts, ignoreUnknown = false): Message {
  const json = body.kind === "none" ? undefined : parseBody(parts.body);
  const read = { ignoreUnknownFields: ignoreUnknown };
  const msg =
    json === undefined ? create(desc) : step("request body", () => fromJson(desc, body.kind === "field" ? { [body.field.jsonName]: json } : json, read));
  if (body.kind !== "all") {
    const skip = body.kind === "field" ? body.field : undefined;
    for (const name of new Set(parts.query.keys())) {
      const what = `query parameter ${name}`;
      const fields = resolveFieldPath(desc, name.split("."));
      if (!fields && ignoreUnknown) continue;
      if (skip && fields?.[0] === skip) throw invalidArgument(what, "is carried by the request body");
      step(what, () => mergeFromJson(desc, msg, nest(desc, name, parts.query.getAll(name), what)));
    }
  }
  for (const [name, value] of parts.pathValues) {
    step(`path variable ${name}`, () => mergeFromJson(desc, msg, nest(desc, name, [value], `path variable ${name}`)));
  }
  return msg;
}
