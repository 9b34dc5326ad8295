// A deadline as long as gRPC (up to 99999999H) or Connect (up to 10 digits
// of ms) allows does not fit a Node timer, which holds at most 2^31-1 ms
// (24.8 days): Node cuts a longer one to 1 ms, with a warning on stderr, and
// the call failed with DEADLINE_EXCEEDED at once. Connect's handlers and the
// fast path both arm one timer per call. A deadline that long is no
// deadline for this server, whose calls take milliseconds and whose streams
// a client ends: the call runs without one.
import { parseTimeout as parseConnectTimeout } from "@connectrpc/connect/protocol-connect";
import { parseTimeout as parseGrpcTimeout } from "@connectrpc/connect/protocol-grpc";

/** The longest delay a Node timer holds. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const PARSERS = [
  ["grpc-timeout", parseGrpcTimeout],
  ["connect-timeout-ms", parseConnectTimeout],
] as const;

/** Removes the timeout headers whose deadline no timer can hold, so Connect's handlers see none; malformed ones stay for Connect to refuse. */
export function dropUnholdableDeadline(header: Headers): void {
  for (const [name, parse] of PARSERS) {
    const { timeoutMs } = parse(header.get(name), Number.MAX_SAFE_INTEGER);
    if (timeoutMs !== undefined && timeoutMs > MAX_TIMER_MS) header.delete(name);
  }
}
