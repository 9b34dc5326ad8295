import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapGrpcWebTrailer } from "../../src/edge/grpc-web-trailer.ts";
import { frame, parseFrames } from "../helpers/raw-grpc-web-text-transport.ts";

async function* chunks(parts: Buffer[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

async function run(parts: Buffer[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of mapGrpcWebTrailer(chunks(parts), (t) => t.set("grpc-message", t.get("grpc-message")!.toUpperCase()))) {
    out.push(Buffer.from(c));
  }
  return out;
}

describe("mapGrpcWebTrailer", () => {
  const messages = [Buffer.from("first"), Buffer.alloc(300, 7), Buffer.from([0x80, 0, 0, 0, 1])];
  const trailer = frame(0x80, Buffer.from("grpc-status: 3\r\ngrpc-message: bad input\r\n"));
  const body = Buffer.concat([...messages.map((m) => frame(0, m)), trailer]);

  it("rewrites the trailer frame and nothing else, however the body is cut", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: body.length - 1 }), { maxLength: 8 }), async (rawCuts) => {
        const cuts = [0, ...rawCuts.sort((a, b) => a - b), body.length];
        const out = Buffer.concat(await run(cuts.slice(1).map((end, i) => body.subarray(cuts[i], end))));
        const frames = parseFrames(out);
        expect(frames.messages.map((m) => Buffer.from(m))).toEqual(messages);
        expect([...frames.trailer.entries()]).toEqual([
          ["grpc-message", "BAD INPUT"],
          ["grpc-status", "3"],
        ]);
      }),
    );
  });

  it("passes message frames on without waiting for the next chunk", async () => {
    const out = await run([frame(0, messages[0]!), frame(0, messages[1]!), trailer]);
    expect(out.slice(0, 2)).toEqual([frame(0, messages[0]!), frame(0, messages[1]!)]);
  });

  it("leaves a compressed trailer frame as it is", async () => {
    const compressed = frame(0x81, Buffer.from("not readable"));
    expect(Buffer.concat(await run([frame(0, messages[0]!), compressed]))).toEqual(Buffer.concat([frame(0, messages[0]!), compressed]));
  });
});
