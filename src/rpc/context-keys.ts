// Values the edge hands to Connect's handlers through the per-call context.
// The fast path passes the same values to the call pipeline directly.
import { createContextKey } from "@connectrpc/connect";
import type { CallRecord } from "../observability/rpc-observer.ts";

/** The request id of the call: the client's x-request-id when well formed, else a new one. */
export const requestIdKey = createContextKey<string>("", { description: "request id" });

/** The call's record for the access log and the metrics (see observability/rpc-observer.ts). */
export const callRecordKey = createContextKey<CallRecord | undefined>(undefined, { description: "call record" });

/** The client's address, taken from the socket by the edge. */
export const remoteAddressKey = createContextKey<string | undefined>(undefined, { description: "client address" });
