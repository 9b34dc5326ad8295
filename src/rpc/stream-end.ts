// How a long-lived server stream (WatchMemberships, Health.Watch) ends once
// its handler signal aborts. Returning from the generator would end the call
// with OK, which tells a client that the stream is complete; only a client
// that went away should get that quiet ending.
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * The reason to abort the router's shutdownSignal with. Connect links that
 * signal into every handler's ctx.signal, so endStream finds it there.
 * UNAVAILABLE is the code gRPC clients treat as "retry elsewhere or later".
 */
export function shutdownReason(): ConnectError {
  return new ConnectError("server is shutting down; reconnect to resume", Code.Unavailable);
}

/**
 * Call when a stream stops because `signal` (the handler context's signal)
 * aborted. Connect aborts it with a DeadlineExceeded ConnectError when the
 * client's grpc-timeout / connect-timeout-ms passes, and the app with
 * shutdownReason() on server shutdown; both are rethrown so the client learns
 * why the stream ended. Any other reason (the client cancelled or
 * disconnected) returns: nobody is left to read a status.
 */
export function endStream(signal: AbortSignal): void {
  const reason: unknown = signal.reason;
  if (!(reason instanceof ConnectError)) return;
  if (reason.code === Code.DeadlineExceeded) throw new ConnectError("deadline exceeded", Code.DeadlineExceeded);
  if (reason.code === Code.Unavailable) throw new ConnectError(reason.rawMessage, Code.Unavailable);
}
