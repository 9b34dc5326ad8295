// The request id of a call: the client's x-request-id when it is short and
// safe to log, else a new one. Every serving path picks it the same way.
import { randomUUID } from "node:crypto";

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export function pickRequestId(header: string | string[] | undefined): string {
  return typeof header === "string" && requestIdPattern.test(header) ? header : randomUUID();
}
