// Runs fuzzed calls against a server process and checks what must hold for
// every one of them, whatever the input:
// - the process is still running;
// - the answer is not INTERNAL, UNKNOWN or DATA_LOSS, nor an HTTP 5xx
//   without a protocol status, and there is an answer at all;
// - the message names no SQL, stack frame, source file or token;
// - the server logged no error for it (an error log line marks a bug), and
//   wrote nothing but one-line JSON log entries;
// - a call that failed committed nothing (no new transaction, no audit
//   event). DEADLINE_EXCEEDED and CANCELED are exempt: by gRPC's contract
//   the client cannot know whether such a call took effect;
// - DEADLINE_EXCEEDED comes only for a deadline shorter than a minute;
// - a good call on the same protocol succeeds right after.
import { create, toBinary } from "@bufbuild/protobuf";
import { parseTimeout as parseConnectTimeout } from "@connectrpc/connect/protocol-connect";
import { parseTimeout as parseGrpcTimeout } from "@connectrpc/connect/protocol-grpc";
import fc from "fast-check";
import { GetOrganizationRequestSchema } from "../../gen/membership/v1/organization_pb.js";
import { exchange } from "../helpers/raw-exchange.ts";
import type { FuzzTarget } from "./fuzz-target.ts";
import { badLogLines } from "./injection-world.ts";
import { wireCaseArb, type WireCase } from "./wire-cases.ts";
import { contentTypeOf, outcomeOf, protocolHeaders, wellFramed, WIRE_PROTOCOLS, type Outcome, type WireProtocol } from "./wire-protocols.ts";

export interface CaseResult {
  outcome: Outcome;
  /** What went wrong, in words; empty when every property held. */
  violations: string[];
  /** The call committed a transaction. */
  wrote: boolean;
}

const FORBIDDEN = new Set(["internal", "unknown", "data_loss"]);
const MAY_HAVE_HAPPENED = new Set(["ok", "stream_open", "deadline_exceeded", "canceled"]);
const LEAK = /sqlite|\bSQL\b|\n\s+at |node_modules|\.ts:\d+|\.js:\d+/i;
/** A stream that is still open after this long is left open by design (a watch). */
const STREAM_WAIT_MS = 150;
/** No unary call of this API takes this long: one that does is stuck. */
const UNARY_WAIT_MS = 10_000;

/** Sends one call; a failure to get any answer becomes the outcome "no_response". */
export async function send(t: FuzzTarget, p: WireProtocol, c: WireCase): Promise<Outcome> {
  try {
    const ex = await exchange(t.url, { http: p.http, path: c.path, headers: c.headers, body: c.body, cancelAfterMs: c.streaming ? STREAM_WAIT_MS : UNARY_WAIT_MS });
    return outcomeOf(ex);
  } catch (err) {
    const code = (err as { code?: string }).code;
    // The client library refused a header before sending anything: not the server's doing.
    if (code === "ERR_INVALID_CHAR" || code === "ERR_HTTP2_INVALID_HEADER_VALUE" || code === "ERR_INVALID_HTTP_TOKEN") {
      return { code: "client_refused", message: code, httpStatus: 0 };
    }
    return { code: "no_response", message: (err as Error).message, httpStatus: 0 };
  }
}

/**
 * A call that must succeed on any protocol: GetOrganization of the
 * administrator's own organization, the one thing a fuzzed call cannot
 * delete (DeleteProject or DeleteUser may well remove the other fixtures).
 */
export function goodCall(t: FuzzTarget, p: WireProtocol): WireCase {
  const req = { organizationId: t.fixtures.orgId };
  const message = p.json ? Buffer.from(JSON.stringify(req)) : Buffer.from(toBinary(GetOrganizationRequestSchema, create(GetOrganizationRequestSchema, req)));
  return {
    path: "/membership.v1.OrganizationService/GetOrganization",
    streaming: false,
    headers: { "content-type": contentTypeOf(p, false), ...protocolHeaders(p), authorization: `Bearer ${t.token}` },
    body: wellFramed(p, false, message),
    tags: [],
  };
}

export async function runCase(t: FuzzTarget, p: WireProtocol, c: WireCase): Promise<CaseResult> {
  const logMark = t.output().length;
  const version = t.dataVersion();
  const sequence = t.auditSequence();
  const outcome = await send(t, p, c);
  const violations: string[] = [];
  const exit = t.exitCode();
  if (exit !== undefined) return { outcome, violations: [`the server process exited (${exit})`], wrote: false };
  const wrote = t.dataVersion() !== version;
  const sequenceAfter = t.auditSequence();
  if (FORBIDDEN.has(outcome.code) || /^http_5/.test(outcome.code)) violations.push(`answered ${outcome.code}: ${outcome.message}`);
  if (outcome.code === "no_response") violations.push(`no answer: ${outcome.message}`);
  if (outcome.code === "stream_open" && !c.streaming) violations.push(`no answer within ${UNARY_WAIT_MS} ms`);
  if (LEAK.test(outcome.message) || outcome.message.includes(t.token)) violations.push(`message leaks internals: ${outcome.message.slice(0, 200)}`);
  if (!MAY_HAVE_HAPPENED.has(outcome.code) && (wrote || sequenceAfter !== sequence)) {
    violations.push(`a failed call (${outcome.code}) wrote: audit sequence ${sequence} → ${sequenceAfter}`);
  }
  const allowed = allowedMs(c.headers);
  if (outcome.code === "deadline_exceeded" && allowed >= 60_000) violations.push(`DEADLINE_EXCEEDED although the client allowed ${allowed} ms`);
  const logged = t.output().slice(logMark);
  const errors = logged.filter((l) => l.includes('"level":"error"'));
  if (errors.length) violations.push(`the server logged an error: ${errors[0]!.slice(0, 300)}`);
  const stray = badLogLines(logged);
  if (stray.length) violations.push(`the server wrote a line that is no log entry: ${stray[0]!.slice(0, 300)}`);
  const after = await send(t, p, goodCall(t, p));
  if (after.code !== "ok") violations.push(`a good call afterwards got ${after.code}: ${after.message}`);
  return { outcome, violations, wrote };
}

/** The shortest deadline the call's timeout headers ask for, in ms; Infinity when none is valid. */
function allowedMs(headers: Record<string, string>): number {
  const grpc = parseGrpcTimeout(headers["grpc-timeout"] ?? null, Number.MAX_SAFE_INTEGER);
  const connect = parseConnectTimeout(headers["connect-timeout-ms"] ?? null, Number.MAX_SAFE_INTEGER);
  return Math.min(grpc.error ? Infinity : (grpc.timeoutMs ?? Infinity), connect.error ? Infinity : (connect.timeoutMs ?? Infinity));
}

/** The case in a form to read and to replay by hand: the token redacted, the body in base64. */
export function describeCase(t: FuzzTarget, c: WireCase): string {
  const headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, v.replaceAll(t.token, "<token>").slice(0, 120)]));
  return JSON.stringify({ path: c.path, tags: c.tags, headers, body: c.body.subarray(0, 400).toString("base64"), bodyBytes: c.body.length });
}

export interface ProtocolReport {
  protocol: string;
  fastPath: boolean;
  cases: number;
  /** How many cases ended with each outcome code. */
  outcomes: Record<string, number>;
  /** Every case that broke a property, with the call to replay it. */
  failures: { index: number; violations: string[]; call: string }[];
}

/** Runs `runs` cases of the protocol from `seed`, collecting every violation rather than stopping at the first. */
export async function fuzzProtocol(t: FuzzTarget, p: WireProtocol, runs: number, seed: number): Promise<ProtocolReport> {
  const report: ProtocolReport = { protocol: p.name, fastPath: t.fastPath, cases: 0, outcomes: {}, failures: [] };
  // Each protocol draws its own cases from the seed, rather than all the same shapes.
  const cases = fc.sample(wireCaseArb(p, t.token, t.fixtures), { numRuns: runs, seed: seed + WIRE_PROTOCOLS.indexOf(p) });
  for (const [index, c] of cases.entries()) {
    const r = await runCase(t, p, c);
    report.cases++;
    report.outcomes[r.outcome.code] = (report.outcomes[r.outcome.code] ?? 0) + 1;
    if (r.violations.length) report.failures.push({ index, violations: r.violations, call: describeCase(t, c) });
    if (t.exitCode() !== undefined) break;
  }
  return report;
}
