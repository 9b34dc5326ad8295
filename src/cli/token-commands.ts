// `token create|list|revoke`: bearer tokens of any user or identity, issued
// and revoked offline through the token service, so each is audited and a
// revocation holds for the running server at once (it reads tokens from the
// database on every call).
import type { TokenRecord } from "../kernel/records.ts";
import { createTokenService } from "../tokens/token-service.ts";
import { CONFIG, DB_OPTION, DB_TLS_OPTIONS, JSON_OPTION, ORG_OPTION, type Command, type Io } from "./command.ts";
import { withDatabase, type Offline } from "./offline.ts";
import { everyPage, iso, printList, printRecord, type Columns } from "./output.ts";
import { CliError, UsageError, type ParsedOptions } from "./options.ts";

const COLUMNS: Columns = [["id", "ID"], ["principalType", "TYPE"], ["principalId", "PRINCIPAL"], ["description", "DESCRIPTION"], ["expiresAt", "EXPIRES"], ["revokedAt", "REVOKED"]];
export const tokenRow = (t: TokenRecord) => ({
  id: t.id,
  organizationId: t.organizationId,
  principalType: t.principalType,
  principalId: t.principalId,
  description: t.description,
  createdAt: iso(t.createdAt),
  expiresAt: iso(t.expiresAt),
  revokedAt: iso(t.revokedAt),
});
const common = { db: DB_OPTION, ...DB_TLS_OPTIONS, config: CONFIG, json: JSON_OPTION };
const USER = { type: "string", value: "<id>" } as const;

/** The principal named by --user or --identity (exactly one), with its organization. */
async function principalOf(o: Offline, opts: ParsedOptions, required: boolean) {
  const user = opts.get("user");
  const identity = opts.get("identity");
  if (user !== undefined && identity !== undefined) throw new UsageError("give --user or --identity, not both");
  if (user === undefined && identity === undefined) {
    if (required) throw new UsageError("give --user <id> or --identity <id>");
    return null;
  }
  const read = o.deps.store.read;
  const found = user !== undefined ? await read.users.get(user) : await read.identities.get(identity!);
  if (!found) throw new CliError(`${user !== undefined ? "user" : "identity"} ${user ?? identity} not found`);
  return { type: user !== undefined ? ("user" as const) : ("identity" as const), id: found.id, organizationId: found.organizationId };
}

/** --expires: an ISO 8601 time, or a duration from now such as 90d, 12h or 30m. */
function expiresAt(opts: ParsedOptions, now: number): number | null {
  const v = opts.get("expires");
  if (v === undefined) return null;
  const d = /^(\d{1,6})([dhm])$/.exec(v);
  if (d) return now + Number(d[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[d[2] as "d" | "h" | "m"];
  const t = Date.parse(v);
  if (!/^\d{4}-\d\d-\d\d/.test(v) || Number.isNaN(t)) throw new UsageError(`--expires must be a time like 2027-01-31T12:00:00Z or a duration like 90d, 12h or 30m, not "${v}"`);
  return t;
}

/** The secret alone on stdout, so `TOKEN=$(…)` captures it; what it is for goes to stderr. */
export function printSecret(io: Io, opts: ParsedOptions, secret: string, row: Record<string, unknown>, note: string): void {
  if (opts.has("json")) io.stdout.write(JSON.stringify({ ...row, token: secret }, null, 2) + "\n");
  else {
    io.stdout.write(secret + "\n");
    io.stderr.write(`${note}; the token is shown only this once\n`);
  }
}

export const tokenCommands: Command[] = [
  {
    name: "token create",
    summary: "issue a bearer token for a user or an identity and print it once",
    options: {
      user: { ...USER, help: "the user the token is for" },
      identity: { ...USER, help: "the identity the token is for (instead of --user)" },
      description: { type: "string", value: "<text>", help: "what the token is for" },
      expires: { type: "string", value: "<time>", help: "an ISO 8601 time or a duration such as 90d, 12h, 30m (never)" },
      ...common,
    },
    run: (opts, io) =>
      withDatabase(opts, "token create", async (o) => {
        const owner = (await principalOf(o, opts, true))!;
        const expires = expiresAt(opts, o.deps.clock.now());
        const ctx = await o.operator(owner.organizationId);
        const input = { principalType: owner.type, principalId: owner.id, expiresAt: expires, description: opts.get("description") ?? "" };
        const { token, secret } = await createTokenService(o.deps).create(ctx, input);
        printSecret(io, opts, secret, tokenRow(token), `token ${token.id} for ${owner.type} ${owner.id}, expires ${iso(token.expiresAt) ?? "never"}`);
      }),
  },
  {
    name: "token list",
    summary: "list the tokens of an organization, or of one user or identity",
    options: {
      user: { ...USER, help: "only this user's tokens" },
      identity: { ...USER, help: "only this identity's tokens" },
      org: ORG_OPTION,
      ...common,
    },
    run: (opts, io) =>
      withDatabase(opts, "token list", async (o) => {
        const owner = await principalOf(o, opts, false);
        const ctx = await o.operator(owner?.organizationId ?? opts.get("org"));
        const tokens = createTokenService(o.deps);
        const all = await everyPage((pageToken) => tokens.list(ctx, { pageSize: 1000, pageToken, principalId: owner?.id ?? "" }));
        printList(io, opts, all.map(tokenRow), COLUMNS);
      }),
  },
  {
    name: "token revoke",
    summary: "revoke a token; a running server refuses it from its next call on",
    args: "<token-id>",
    positionals: { min: 1, max: 1 },
    options: common,
    run: (opts, io) =>
      withDatabase(opts, "token revoke", async (o) => {
        const id = opts.positionals[0]!;
        const token = await o.deps.store.read.tokens.get(id);
        if (!token) throw new CliError(`token ${id} not found`);
        const revoked = await createTokenService(o.deps).revoke(await o.operator(token.organizationId), id);
        printRecord(io, opts, tokenRow(revoked), COLUMNS);
      }),
  },
];
