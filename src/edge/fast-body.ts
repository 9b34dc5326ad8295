// Reads a whole request body from a Node stream (an HTTP/2 stream or an
// HTTP/1.1 request) with plain 'data'/'end' listeners: no async iterator,
// whose teardown costs an error object per call. A declared length above the
// limit is refused before anything is read; the errors carry Connect's codes
// and texts for the same faults.
import type { Readable } from "node:stream";
import { Code, ConnectError } from "@connectrpc/connect";

const limitError = (max: number, size?: number) =>
  new ConnectError(`message size ${size === undefined ? "" : `${size} `}is larger than configured readMaxBytes ${max}`, Code.ResourceExhausted);
const promised = (hint: number, got: number) => new ConnectError(`protocol error: promised ${hint} bytes, received ${got}`, Code.InvalidArgument);

/** Resolves with the body; rejects with a ConnectError for a bad body, or the stream's error when the client went away. */
export function readBody(body: Readable, readMaxBytes: number, contentLength: string | undefined): Promise<Uint8Array> {
  const hint = contentLength !== undefined && /^\d{1,15}$/.test(contentLength) ? Number(contentLength) : undefined;
  if (hint !== undefined && hint > readMaxBytes) return Promise.reject(limitError(readMaxBytes, hint));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const stop = (err: unknown) => {
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("error", stop);
      body.off("aborted", onAborted);
      reject(err);
    };
    const onAborted = () => stop(new Error("aborted"));
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (hint !== undefined && length > hint) return stop(promised(hint, length));
      if (length > readMaxBytes) return stop(limitError(readMaxBytes));
      chunks.push(chunk);
    };
    const onEnd = () => {
      body.off("error", stop);
      body.off("aborted", onAborted);
      if (hint !== undefined && length < hint) return reject(promised(hint, length));
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    body.on("data", onData);
    body.once("end", onEnd);
    body.once("error", stop);
    body.once("aborted", onAborted);
    // Read after the caller is admitted: a body that ended with the headers may have said so already.
    if (body.readableEnded) onEnd();
  });
}
