// gRPC-web carries the trailers as the last body frame: flag 0x80, then
// "name: value\r\n" lines. To fix a trailer the edge has to find that frame in
// the response body; every other frame passes through untouched and at once,
// so streams are not delayed.

const TRAILER_FLAG = 0x80;
const COMPRESSED_FLAG = 0x01;
const HEADER_BYTES = 5;

/**
 * Returns `body` with `fix` applied to the trailers of its trailer frame.
 * A compressed trailer frame (only when it exceeds the compression
 * threshold) passes as it is: it is still correct, only not normalised.
 */
export async function* mapGrpcWebTrailer(body: AsyncIterable<Uint8Array>, fix: (trailer: Headers) => void): AsyncGenerator<Uint8Array> {
  let held: Buffer | undefined; // an incomplete frame header, or an incomplete trailer frame
  let passing = 0; // bytes of the current data frame still to pass through
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
      if ((flags & TRAILER_FLAG) === 0 || (flags & COMPRESSED_FLAG) !== 0) {
        passing = size;
        continue;
      }
      if (buf.length - at < size) {
        held = buf.subarray(at);
        break;
      }
      out.push(trailerFrame(flags, rewrite(buf.subarray(at + HEADER_BYTES, at + size), fix)));
      at += size;
    }
    if (out.length > 0) yield out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }
  if (held) yield held;
}

function rewrite(payload: Buffer, fix: (trailer: Headers) => void): Buffer {
  const trailer = new Headers();
  for (const line of payload.toString("utf8").split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) trailer.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  fix(trailer);
  let text = "";
  trailer.forEach((value, name) => (text += `${name}: ${value}\r\n`));
  return Buffer.from(text, "utf8");
}

function trailerFrame(flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head[0] = flags;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}
