// Values the edge and the interceptors hand to handlers through Connect's
// per-call context. Each key is defined once here so every path (Connect
// handlers today, the raw HTTP/2 fast path later) reads the same values.
import { createContextKey } from "@connectrpc/connect";

/** The request id of the call: the client's x-request-id when well formed, else a new one. */
export const requestIdKey = createContextKey<string>("", { description: "request id" });
