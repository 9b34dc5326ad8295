// ZITADEL's clients expect each error to carry a zitadel.v1.ErrorDetail with
// a stable id, and the status message to end in " (<id>)". The domain's
// reasons are already stable; this maps them to ids and to the codes ZITADEL
// answers with where they differ from ours.
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../gen/zitadel/message_pb.js";
import { DomainError, type ErrorKind } from "../../domain/errors.ts";
import { kindToCode } from "../error-mapper.ts";

/** ZITADEL answers FAILED_PRECONDITION where the user or project of a member write is missing. */
const WRITE_OVERRIDES: Record<string, ErrorKind> = {
  "user.not_found": "failed_precondition",
  "project.not_found": "failed_precondition",
};

/** "membership.already_exists" → "MEMBERSHIP-ALREADY-EXISTS". */
export const errorId = (reason: string) => reason.toUpperCase().replace(/[._]/g, "-");

export function toZitadelError(err: unknown, opts: { write: boolean }): unknown {
  if (!(err instanceof DomainError)) return err;
  const kind = (opts.write ? WRITE_OVERRIDES[err.reason] : undefined) ?? err.kind;
  const id = errorId(err.reason);
  return new ConnectError(`${err.message} (${id})`, kindToCode(kind), undefined, [
    { desc: ErrorDetailSchema, value: { id, message: err.message } },
  ]);
}

/** Runs a handler body and maps domain errors the ZITADEL way; anything else goes on to the generic mapper. */
export async function zitadelCall<T>(write: boolean, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toZitadelError(err, { write });
  }
}

export { Code };
