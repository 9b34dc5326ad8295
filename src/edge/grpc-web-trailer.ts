// gRPC-web carries the trailers as the last body frame: flag 0x80, then
// "name: value\r\n" lines. To fix a trailer the edge rewrites that frame
// (see envelope-frames.ts).
import { mapFlaggedFrame } from "./envelope-frames.ts";

const TRAILER_FLAG = 0x80;

/**
 * Returns `body` with `fix` applied to the trailers of its trailer frame.
 * A compressed trailer frame (only when it exceeds the compression
 * threshold) passes as it is: it is still correct, only not normalised.
 */
export function mapGrpcWebTrailer(body: AsyncIterable<Uint8Array>, fix: (trailer: Headers) => void): AsyncGenerator<Uint8Array> {
  return mapFlaggedFrame(body, TRAILER_FLAG, (payload) => rewrite(payload, fix));
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
