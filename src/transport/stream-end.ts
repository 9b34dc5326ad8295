// How a long-lived server stream (WatchMemberships, Health.Watch) ends once
// its handler signal aborts. Returning from the generator would end the call
// with OK, which tells a client that the stream is complete; only a client
// that went away should get that quiet ending.
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Call when a stream stops because `signal` (the handler context's signal)
 * aborted. Connect aborts it with a DeadlineExceeded ConnectError when the
 * client's grpc-timeout / connect-timeout-ms passes; that is rethrown so the
 * client learns its deadline ended the stream. Any other reason (the client
 * cancelled or disconnected) returns: nobody is left to read a status.
 */
export function endStream(signal: AbortSignal): void {
  const reason: unknown = signal.reason;
  if (reason instanceof ConnectError && reason.code === Code.DeadlineExceeded) {
    throw new ConnectError("deadline exceeded", Code.DeadlineExceeded);
  }
}
