// gRPC-web and Connect streaming answers are a series of enveloped frames:
// one flags byte, a 4-byte length, the payload. Both end with one frame of
// their own, marked by a flag: gRPC-web's trailers (0x80) and Connect's
// end-of-stream message (0x02), which carry the call's status. The edge
// finds that frame to correct or read the status; every other frame passes
// through untouched and at once, so streams are not delayed.

const COMPRESSED_FLAG = 0x01;
const HEADER_BYTES = 5;

/**
 * Returns `body` with the payload of each uncompressed frame marked by `flag`
 * replaced by `map(payload)`. A compressed one (only when it exceeds the
 * compression threshold) passes as it is.
 */
export async function* mapFlaggedFrame(body: AsyncIterable<Uint8Array>, flag: number, map: (payload: Buffer) => Buffer): AsyncGenerator<Uint8Array> {
  let held: Buffer | undefined; // an incomplete frame header, or an incomplete marked frame
  let passing = 0; // bytes of the current other frame still to pass through
  for await (const chunk of body) {
    const buf = held ? Buffer.concat([held, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    held = undefined;
    const out: Buffer[] = [];
    let at = 0;
    while (at < buf.length) {
      if (passing > 0) {
        const n = Math.min(passing, buf.length - at);
        out.push(buf.subarray(at, at + n));
        at += n;
        passing -= n;
        continue;
      }
      if (buf.length - at < HEADER_BYTES) {
        held = buf.subarray(at);
        break;
      }
      const flags = buf[at] as number;
      const size = HEADER_BYTES + buf.readUInt32BE(at + 1);
      if ((flags & flag) === 0 || (flags & COMPRESSED_FLAG) !== 0) {
        passing = size;
        continue;
      }
      if (buf.length - at < size) {
        held = buf.subarray(at);
        break;
      }
      out.push(frame(flags, map(buf.subarray(at + HEADER_BYTES, at + size))));
      at += size;
    }
    if (out.length > 0) yield out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }
  if (held) yield held;
}

function frame(flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head[0] = flags;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}
