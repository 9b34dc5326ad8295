// How a call ended, read one way in every test. A failure is its ConnectError
// and that error's Code, a number from @connectrpc/connect, so an assertion
// reads `toBe(Code.NotFound)` and the compiler checks the name. A success
// where a failure was expected is never a value to compare: it rejects, and
// the test fails saying so. gRPC status numbers equal Code values, so clients
// that are not Connect's map onto the same contract.
import { Code, ConnectError } from "@connectrpc/connect";

/** The ConnectError of a call that must fail; rejects when it succeeds or fails with anything but a ConnectError. */
export async function errorOf(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ConnectError) return err;
    throw err;
  }
  throw new Error("expected the call to fail, it succeeded");
}

/** The Code of a call that must fail, under errorOf's contract. */
export async function codeOf(call: Promise<unknown>): Promise<Code> {
  return (await errorOf(call)).code;
}

/** How a server stream ended: every message that arrived, then `code`, undefined for a clean end or the Code it failed with. */
export interface StreamOutcome<T> {
  messages: T[];
  code: Code | undefined;
}

/** Reads a server stream to its end; `onMessage` sees each message as it arrives, with the count so far. */
export async function drain<T>(stream: AsyncIterable<T>, onMessage?: (message: T, count: number) => void): Promise<StreamOutcome<T>> {
  const messages: T[] = [];
  try {
    for await (const message of stream) {
      messages.push(message);
      onMessage?.(message, messages.length);
    }
    return { messages, code: undefined };
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    return { messages, code: err.code };
  }
}

/**
 * Opens a server stream, reads exactly `n` messages and cancels it (Connect's
 * clients end a call on abort, not when the reader stops). A stream that fails
 * first rejects with its ConnectError, so codeOf(take(...)) reads a refusal; one
 * that ends cleanly before `n` rejects with an Error saying how many came.
 */
export async function take<T>(n: number, open: (signal: AbortSignal) => AsyncIterable<T>): Promise<T[]> {
  const abort = new AbortController();
  const messages: T[] = [];
  try {
    for await (const message of open(abort.signal)) {
      messages.push(message);
      if (messages.length === n) return messages;
    }
  } finally {
    abort.abort();
  }
  throw new Error(`expected ${n} messages, the stream ended cleanly after ${messages.length}`);
}
