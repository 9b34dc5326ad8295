// The headers of a fuzzed call: mostly those of a well-behaved client, with
// now and then a content type, token, organization, deadline, encoding or
// protocol header that is wrong, odd or missing. Values keep to what an HTTP
// client can send at all (visible ASCII and obs-text bytes, no leading or
// trailing space, which HTTP/2 refuses before the server sees the request).
import fc from "fast-check";
import type { FuzzFixtures } from "./fuzz-target.ts";
import { protocolHeaders, type WireProtocol } from "./wire-protocols.ts";

const headerChar = fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((c) => String.fromCharCode(c));
const headerValue = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: headerChar, minLength: 1, maxLength: 40 }) },
  // Past Node's 16 KiB header limit for HTTP/1.1: 431 before any RPC code runs.
  { weight: 1, arbitrary: fc.constantFrom("a".repeat(8000), "b".repeat(20_000)) },
);

type Change = { tag: string; set: Record<string, string | null> };
const change = (tag: string, set: Record<string, string | null>): Change => ({ tag, set });
const none: Change = { tag: "", set: {} };
const sometimes = (weight: number, ...alts: fc.Arbitrary<Change>[]) =>
  fc.oneof({ weight, arbitrary: fc.constant(none) }, ...alts.map((arbitrary) => ({ weight: 1, arbitrary })));

const CONTENT_TYPES = [
  "application/grpc", "application/grpc+proto", "application/grpc+json", "application/grpc+xml", "application/grpc-web",
  "application/grpc-web+json", "application/grpc-web-text", "application/grpc-web-text+json", "application/json", "application/proto",
  "application/connect+json", "application/connect+proto", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "",
];

function contentTypeArb(base: string): fc.Arbitrary<Change> {
  const ct = (tag: string, v: string) => change(tag, { "content-type": v });
  return sometimes(
    60,
    fc.constantFrom(`${base}; charset=utf-8`, `${base};charset=latin1`, base.toUpperCase(), `${base} ; x=y`, `${base}+proto`, `${base}x`).map((v) => ct("content-type-variant", v)),
    fc.constantFrom(...CONTENT_TYPES).map((v) => ct("content-type-other", v)),
    headerValue.map((v) => ct("content-type-random", v)),
    fc.constant(change("content-type-missing", { "content-type": null })),
  );
}

function authArb(token: string): fc.Arbitrary<Change> {
  const a = (tag: string, v: string | null) => change(tag, { authorization: v });
  return sometimes(
    16,
    fc.constantFrom(null, "", "Bearer", "Bearer ", `bearer ${token}`, `Bearer ${token}x`, `Bearer  ${token}`, `Basic ${Buffer.from("u:p").toString("base64")}`, `Bearer ${token.slice(0, -1)}`)
      .map((v) => a("authorization-odd", v)),
    headerValue.map((v) => a("authorization-random", `Bearer ${v}`)),
  );
}

function orgArb(f: FuzzFixtures): fc.Arbitrary<Change> {
  return sometimes(
    10,
    fc.constantFrom(f.orgId, f.otherOrgId, f.projectId, f.userId, "0", "").map((v) => change("org-header", { "x-zitadel-orgid": v })),
    headerValue.map((v) => change("org-header-random", { "x-zitadel-orgid": v })),
  );
}

const GRPC_TIMEOUTS = ["1n", "0n", "1u", "1m", "5S", "99999999H", "999999999H", "100000000S", "1x", "-1S", "S", "1.5S", "01S", "1s", ""];
const CONNECT_TIMEOUTS = ["0", "1", "5000", "9999999999", "99999999999", "-1", "1.5", "abc", "1e3", "0x10", ""];

const timeoutArb: fc.Arbitrary<Change> = sometimes(
  12,
  fc.constantFrom(...GRPC_TIMEOUTS).map((v) => change("grpc-timeout", { "grpc-timeout": v })),
  fc.constantFrom(...CONNECT_TIMEOUTS).map((v) => change("connect-timeout-ms", { "connect-timeout-ms": v })),
  headerValue.map((v) => change("timeout-random", { "grpc-timeout": v, "connect-timeout-ms": v })),
);

const ENCODINGS = ["gzip", "br", "identity", "deflate", "snappy", "zstd", "gzip, br", "*", "x-unknown"];
const encodingArb: fc.Arbitrary<Change> = sometimes(
  16,
  fc.tuple(fc.constantFrom("grpc-encoding", "content-encoding", "connect-content-encoding", "grpc-accept-encoding", "accept-encoding", "connect-accept-encoding"), fc.oneof(fc.constantFrom(...ENCODINGS), headerValue))
    .map(([k, v]) => change(`${k}`, { [k]: v })),
);

const protocolArb: fc.Arbitrary<Change> = sometimes(
  24,
  fc.constantFrom(
    change("no-te", { te: null }),
    change("no-connect-version", { "connect-protocol-version": null }),
    change("connect-version-2", { "connect-protocol-version": "2" }),
    change("no-x-grpc-web", { "x-grpc-web": null }),
  ),
  fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), headerValue).map(([k, v]) => change("extra-header", { [k]: v })),
  headerValue.map((v) => change("request-id", { "x-request-id": v })),
);

export function headersArb(p: WireProtocol, contentType: string, token: string, f: FuzzFixtures) {
  return fc.tuple(contentTypeArb(contentType), authArb(token), orgArb(f), timeoutArb, encodingArb, protocolArb).map((changes) => {
    const headers: Record<string, string | null> = { "content-type": contentType, ...protocolHeaders(p), authorization: `Bearer ${token}` };
    for (const c of changes) Object.assign(headers, c.set);
    const set = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== null));
    return { headers: set, tags: changes.map((c) => c.tag) };
  });
}
