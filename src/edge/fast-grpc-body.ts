// Reads the body of a unary gRPC or gRPC-web call: exactly one
// uncompressed message, its declared length checked against readMaxBytes as
// soon as the 5-byte envelope header arrives, so an oversized message is
// refused before it is buffered. Errors carry the codes and texts Connect
// gives for the same input, so both paths answer alike.
import type { Readable } from "node:stream";
import { Code, ConnectError } from "@connectrpc/connect";

const tooLarge = (size: number, max: number) =>
  new ConnectError(`message size ${size} is larger than configured readMaxBytes ${max}`, Code.ResourceExhausted);

/** Resolves with the message bytes of the single envelope. */
export function readEnvelopedBody(stream: Readable, readMaxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    // Room for the first envelope and the header of a second, which is all it takes to tell "extra message".
    let limit = 5 + readMaxBytes + 5;
    const fail = (err: ConnectError) => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const before = length;
      length += chunk.length;
      if (before < 5 && length >= 5) {
        const head = chunks.length === 1 ? chunk : Buffer.concat(chunks);
        const size = head.readUInt32BE(1);
        if (size > readMaxBytes) return fail(tooLarge(size, readMaxBytes));
        limit = 5 + size + 5;
      }
      if (length > limit) fail(extra());
    };
    const onEnd = () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (body.length === 0) return reject(new ConnectError(`protocol error: missing input message for unary method`, Code.Unimplemented));
      if (body.length < 5 || body.length < 5 + body.readUInt32BE(1)) {
        return reject(new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument));
      }
      if ((body[0]! & 0x01) === 0x01) {
        return reject(new ConnectError("received compressed envelope, but do not know how to decompress", Code.Internal));
      }
      const size = body.readUInt32BE(1);
      const rest = body.length - 5 - size;
      if (rest > 0) return reject(rest < 5 ? new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument) : extra());
      resolve(body.subarray(5, 5 + size));
    };
    stream.on("data", onData);
    stream.once("end", onEnd);
    // Read after the caller is admitted: a body that ended with the headers may have said so already.
    if (stream.readableEnded) onEnd();
  });
}

function extra(): ConnectError {
  return new ConnectError("protocol error: received extra input message for unary method", Code.Unimplemented);
}
