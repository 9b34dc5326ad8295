// What the injection tests share: a real server with its database in a file,
// the two wire encodings strings travel in (JSON, which can carry a lone
// surrogate, and protobuf, which is UTF-8), an organization of their own per
// encoding, a look at every row the server holds, and checks of the log.
import { createClient, ConnectError, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import Database from "better-sqlite3";
import { ManagementService } from "../../gen/zitadel/management_pb.js";
import { clientsFor, type Clients } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { LINE_BREAKS } from "./injection-strings.ts";

export interface Encoding {
  name: string;
  /** JSON carries a lone surrogate as "\ud800"; protobuf can only carry its UTF-8 replacement. */
  carriesLoneSurrogates: boolean;
  transport(baseUrl: string): Transport;
}

export const ENCODINGS: Encoding[] = [
  { name: "Connect JSON", carriesLoneSurrogates: true, transport: (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false }) },
  { name: "gRPC protobuf", carriesLoneSurrogates: false, transport: (baseUrl) => createGrpcTransport({ baseUrl }) },
];

/** An organization of its own with a project, a user and an identity, and clients that act in it as the administrator. */
export interface World {
  c: Clients;
  zitadel: ReturnType<typeof createClient<typeof ManagementService>>;
  as: { headers: Record<string, string> };
  orgId: string;
  projectId: string;
  userId: string;
  identityId: string;
  /** A number not used before in this world, for unique emails and slugs. */
  next(): number;
}

export async function createWorld(ts: TestServer, e: Encoding): Promise<World> {
  const transport = e.transport(ts.url);
  const c = clientsFor(transport);
  const admin = { headers: { authorization: `Bearer ${ts.adminToken}` } };
  const orgId = (await c.orgs.createOrganization({ name: `injection over ${e.name}` }, admin)).organization!.id;
  const as = { headers: { ...admin.headers, "x-zitadel-orgid": orgId } };
  const projectId = (await c.projects.createProject({ name: "target" }, as)).project!.id;
  const userId = (await c.users.createUser({ email: "member@example.com", firstName: "M", lastName: "M" }, as)).user!.id;
  const identityId = (await c.identities.createIdentity({ name: "bot" }, as)).identity!.id;
  let n = 0;
  return { c, zitadel: createClient(ManagementService, transport), as, orgId, projectId, userId, identityId, next: () => ++n };
}

/** "ok", or the Connect code and message of the failure; anything that is not a ConnectError is rethrown. */
export async function outcome(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
    return { code: "ok", message: "" };
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    return { code: err.code === 3 ? "invalid_argument" : `code ${err.code}`, message: err.rawMessage };
  }
}

/** Every row of every table, keyed by table and rowid, as JSON. */
export function snapshotRows(dbPath: string): Map<string, Map<number, string>> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    const out = new Map<string, Map<number, string>>();
    for (const t of tables) {
      const rows = db.prepare(`SELECT rowid AS _rowid, * FROM "${t}"`).all() as { _rowid: number }[];
      out.set(t, new Map(rows.map((r) => [r._rowid, JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString("hex") : v))])));
    }
    return out;
  } finally {
    db.close();
  }
}

/** Rows of `before` that are gone or different in `after`: what no call of the test had any business touching. */
export function changedRows(before: Map<string, Map<number, string>>, after: Map<string, Map<number, string>>): string[] {
  const changed: string[] = [];
  for (const [table, rows] of before) {
    for (const [rowid, row] of rows) {
      const now = after.get(table)?.get(rowid);
      if (now !== row) changed.push(`${table} rowid ${rowid}: ${row} → ${now ?? "deleted"}`);
    }
  }
  return changed;
}

/** Log lines that are not one JSON object on one line, or that a client's text made up. */
export function badLogLines(lines: string[]): string[] {
  return lines.filter((line) => {
    if (LINE_BREAKS.test(line)) return true;
    try {
      const entry = JSON.parse(line) as { msg?: unknown; level?: unknown };
      return typeof entry.msg !== "string" || entry.msg === "forged" || typeof entry.level !== "string";
    } catch {
      return true;
    }
  });
}

/** Every string anywhere in a JSON value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * AuditService.VerifyAuditChain where the server has it (the tamper-evident
 * trail), asked in plain Connect JSON so this compiles without its generated
 * code; null where the server has no such RPC.
 */
export async function verifyAuditChain(ts: TestServer): Promise<{ ok: boolean; eventsChecked: string } | null> {
  const res = await fetch(`${ts.url}/membership.v1.AuditService/VerifyAuditChain`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ts.adminToken}` },
    body: "{}",
  });
  if (res.status === 404) return null;
  return (await res.json()) as { ok: boolean; eventsChecked: string };
}
