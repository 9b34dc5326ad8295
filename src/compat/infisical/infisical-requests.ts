// Infisical's request bodies and query parameters, checked as its API
// reference describes them and turned into the domain's input. Each fault
// names the field as Infisical's clients know it (roles[1].temporaryRange),
// including faults the domain finds later (infisicalField).
import { invalidArgument } from "../../kernel/errors.ts";
import type { RoleRequest } from "../../access/role-assignment.ts";
import type { RoleInput } from "../../membership/membership-mappers.ts";
import { roleToGrant } from "./infisical-roles.ts";

type Json = Record<string, unknown>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

function object(field: string, v: unknown, allowed: readonly string[]): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw invalidArgument(field, "must be a JSON object");
  const extra = Object.keys(v).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw invalidArgument(`${field === "body" ? "" : field + "."}${extra.slice(0, 64)}`, "is not a field of this request");
  return v as Json;
}

function string(field: string, v: unknown): string {
  if (typeof v !== "string") throw invalidArgument(field, "must be a string");
  return v;
}

function time(field: string, v: unknown): number {
  const text = string(field, v);
  const ms = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalidArgument(field, "must be a date-time like 2024-05-01T12:00:00Z");
  return ms;
}

const ENTRY_FIELDS = ["role", "isTemporary", "temporaryMode", "temporaryRange", "temporaryAccessStartTime"] as const;

/** One entry of `roles`: `{role, isTemporary: false}` or a temporary role with its relative window. */
function roleEntry(field: string, v: unknown): RoleRequest {
  const e = object(field, v, ENTRY_FIELDS);
  const role = roleToGrant(`${field}.role`, string(`${field}.role`, e.role));
  const isTemporary = e.isTemporary ?? false;
  if (typeof isTemporary !== "boolean") throw invalidArgument(`${field}.isTemporary`, "must be true or false");
  if (!isTemporary) {
    const stray = ENTRY_FIELDS.slice(2).find((k) => e[k] !== undefined);
    if (stray !== undefined) throw invalidArgument(`${field}.${stray}`, "is only for a temporary role (isTemporary: true)");
    return { role, isTemporary: false, temporaryMode: null, temporaryRange: "", startAt: null };
  }
  for (const k of ENTRY_FIELDS.slice(2)) if (e[k] === undefined) throw invalidArgument(`${field}.${k}`, "is required for a temporary role");
  if (e.temporaryMode !== "relative") throw invalidArgument(`${field}.temporaryMode`, 'must be "relative"');
  const temporaryRange = string(`${field}.temporaryRange`, e.temporaryRange);
  return { role, isTemporary: true, temporaryMode: "relative", temporaryRange, startAt: time(`${field}.temporaryAccessStartTime`, e.temporaryAccessStartTime) };
}

function roleList(v: unknown): RoleRequest[] {
  if (!Array.isArray(v)) throw invalidArgument("roles", "must be an array");
  return v.map((entry, i) => roleEntry(`roles[${i}]`, entry));
}

/** The domain's names of role fields, as Infisical names them. */
const CAMEL: Record<string, string> = {
  temporary_mode: "temporaryMode",
  temporary_range: "temporaryRange",
  temporary_access_start_time: "temporaryAccessStartTime",
  project_id: "projectId",
  identity_id: "identityId",
};

/** A field the domain names, as the Infisical request names it. */
export function infisicalField(field: string): string {
  return field.replace(/[a-z]+(_[a-z]+)+/g, (name) => CAMEL[name] ?? name);
}

/** POST: `roles` when given, else the single `role`, which defaults to no-access. */
export function createMembershipBody(body: unknown): RoleInput {
  const b = object("body", body ?? {}, ["role", "roles"]);
  if (b.roles !== undefined) return { roles: roleList(b.roles), apiField: infisicalField };
  const role = b.role === undefined ? "no-access" : string("role", b.role).trim();
  const request: RoleRequest = { role: roleToGrant("role", role), isTemporary: false, temporaryMode: null, temporaryRange: "", startAt: null };
  return { roles: [request], apiField: (f) => infisicalField(f).replace(/^roles(\[0\]\.role)?/, "role") };
}

/** PATCH: `roles`, at least one, replacing every role the membership holds. */
export function updateMembershipBody(body: unknown): RoleInput {
  const b = object("body", body, ["roles"]);
  if (b.roles === undefined) throw invalidArgument("roles", "is required");
  const roles = roleList(b.roles);
  if (roles.length === 0) throw invalidArgument("roles", "must hold at least one role");
  return { roles, apiField: infisicalField };
}

export interface IdentityListQuery {
  offset: number;
  limit: number;
  asc: boolean;
  search: string;
}

const LIST_PARAMS = ["offset", "limit", "orderBy", "orderDirection", "search"];

function wholeNumber(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,15}$/.test(raw)) throw invalidArgument(name, "must be a whole number");
  return Number(raw);
}

/** GET identity-memberships: offset, limit, orderBy (name), orderDirection (asc, desc) and search. */
export function identityListQuery(query: URLSearchParams): IdentityListQuery {
  for (const name of new Set(query.keys())) {
    if (!LIST_PARAMS.includes(name)) throw invalidArgument(name.slice(0, 64), "is not a query parameter of this list");
    if (query.getAll(name).length > 1) throw invalidArgument(name, "is given more than once");
  }
  const orderBy = query.get("orderBy") ?? "name";
  if (orderBy !== "name") throw invalidArgument("orderBy", 'must be "name"');
  const direction = query.get("orderDirection") ?? "asc";
  if (direction !== "asc" && direction !== "desc") throw invalidArgument("orderDirection", 'must be "asc" or "desc"');
  return {
    offset: wholeNumber(query, "offset", 0),
    limit: wholeNumber(query, "limit", 100),
    asc: direction === "asc",
    search: (query.get("search") ?? "").trim(),
  };
}
