// ZITADEL's clients expect each error to carry a zitadel.v1.ErrorDetail with
// a stable id, and the status message to end in " (<id>)". The domain's
// reasons are already stable; this maps them to ids and to the codes ZITADEL
// answers with where they differ from ours.
import { ErrorDetailSchema } from "../../../gen/zitadel/message_pb.js";
import { DomainError, type ErrorKind } from "../../kernel/errors.ts";
import { domainConnectError } from "../../rpc/error-mapper.ts";
import type { Dialect } from "../../rpc/route.ts";

/** ZITADEL answers FAILED_PRECONDITION where the user or project of a member write is missing. */
const WRITE_OVERRIDES: Record<string, ErrorKind> = {
  "user.not_found": "failed_precondition",
  "project.not_found": "failed_precondition",
};

/** "membership.already_exists" → "MEMBERSHIP-ALREADY-EXISTS". */
export const errorId = (reason: string) => reason.toUpperCase().replace(/[._]/g, "-");

/** The member and grant writes (v1 and v2), where ZITADEL's codes differ from ours. */
const WRITES = new Set([
  "AddProjectMember",
  "UpdateProjectMember",
  "RemoveProjectMember",
  "CreateAdministrator",
  "UpdateAdministrator",
  "DeleteAdministrator",
  "CreateAuthorization",
]);

/** A ServiceErrorMapper for ManagementService: domain errors gain ZITADEL's id and detail; others pass on unchanged. */
export function toZitadelError(err: unknown, method: string): unknown {
  if (!(err instanceof DomainError)) return err;
  const kind = (WRITES.has(method) ? WRITE_OVERRIDES[err.reason] : undefined) ?? err.kind;
  const id = errorId(err.reason);
  const shaped = kind === err.kind ? err : new DomainError(kind, err.reason, err.message, err.field, err.retryAfterMs);
  return domainConnectError(shaped, `${err.message} (${id})`, [{ desc: ErrorDetailSchema, value: { id, message: err.message } }]);
}

/**
 * The dialect of every ZITADEL route. Its REST gateway (grpc-gateway, with
 * protojson's default write options and DiscardUnknown) leaves out fields
 * at their default value and drops request fields it does not know.
 */
export const ZITADEL: Dialect = {
  name: "zitadel",
  shape: toZitadelError,
  detailTypes: [ErrorDetailSchema],
  rest: { json: { alwaysEmitImplicit: false }, ignoreUnknown: true },
};
