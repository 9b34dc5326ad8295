// Mappers every feature's handlers share: timestamps, principal types, the
// user_id / identity_id oneof and change details.
import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { PrincipalType } from "../../gen/membership/v1/common_pb.js";
import type { Details } from "../audit/audit-log.ts";
import { invalidArgument } from "../kernel/errors.ts";
import type { PrincipalType as Type } from "../kernel/records.ts";

export type Init<T extends DescMessage> = MessageInitShape<T>;

export const ts = (ms: number | null | undefined): Timestamp | undefined => (ms == null ? undefined : timestampFromMs(ms));

/** Milliseconds of a timestamp, or null; refuses values a Date cannot hold. */
export function msOf(t: Timestamp | undefined): number | null {
  if (!t) return null;
  const ms = Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : NaN;
}

export const principalTypeToProto = (t: Type) => (t === "user" ? PrincipalType.USER : PrincipalType.IDENTITY);
export const principalTypeFromProto = (t: PrincipalType): Type | null | undefined =>
  t === PrincipalType.USER ? "user" : t === PrincipalType.IDENTITY ? "identity" : t === PrincipalType.UNSPECIFIED ? null : undefined;

/** A time field of a request: null when unset, INVALID_ARGUMENT naming the field when out of range. */
export function timeField(field: string, t: Timestamp | undefined): number | null {
  const ms = msOf(t);
  if (ms !== null && Number.isNaN(ms)) throw invalidArgument(field, "is out of range");
  return ms;
}

/** A user_id / identity_id oneof; type null when unset, for the domain to refuse by field name. */
export function principalFromOneof(
  p: { case: "userId" | "identityId"; value: string } | { case: undefined; value?: undefined },
): { type: Type | null; id: string } {
  return { type: p.case === "userId" ? "user" : p.case === "identityId" ? "identity" : null, id: p.value ?? "" };
}

/** Plain fields, so membership.v1 and zitadel.v1 ObjectDetails (same wire shape) both take it. */
export const detailsToProto = (d: Details) => ({
  sequence: BigInt(d.sequence),
  creationDate: ts(d.creationDate),
  changeDate: ts(d.changeDate),
  resourceOwner: d.resourceOwner,
});
