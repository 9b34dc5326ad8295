// The text step of the JSON codec, for Connect's handlers and the fast path
// alike (both build their codecs from the same jsonOptions): request bytes
// become text as before, but a JSON text that escapes a lone UTF-16
// surrogate ("\ud800" with no partner) is refused as INVALID_ARGUMENT before
// protobuf-es reads it. Such text has no UTF-8 form, so no protobuf message
// can hold it; and protobuf-es quotes a bad value back in its error, where a
// lone surrogate cannot be percent-encoded into gRPC's status message
// (Connect throws, and the call ended as INTERNAL or with no status at all).
import { Code, ConnectError } from "@connectrpc/connect";

const utf8 = new TextDecoder();
/** The escape of a surrogate, paired or not: only its presence calls for the careful look. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /\p{Cs}/u;

export const jsonRequestText = {
  decode(bytes?: Uint8Array): string {
    const text = utf8.decode(bytes);
    if (SURROGATE_ESCAPE.test(text)) refuseLoneSurrogates(text);
    return text;
  },
};

function refuseLoneSurrogates(text: string): void {
  let member: string | undefined;
  try {
    JSON.parse(text, (key, value: unknown) => {
      if (member === undefined && (LONE_SURROGATE.test(key) || (typeof value === "string" && LONE_SURROGATE.test(value)))) member = key;
      return value;
    });
  } catch {
    return; // not JSON at all: protobuf-es says what is wrong with it
  }
  if (member === undefined) return;
  const name = member.replace(new RegExp(LONE_SURROGATE, "gu"), "\ufffd");
  throw new ConnectError(`request message holds a lone UTF-16 surrogate at "${name}": JSON for protobuf must be valid Unicode`, Code.InvalidArgument);
}
