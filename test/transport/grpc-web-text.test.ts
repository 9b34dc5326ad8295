import { Code, ConnectError } from "@connectrpc/connect";
import type { UniversalServerRequest } from "@connectrpc/connect/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeGrpcWebTextRequest,
  encodeGrpcWebTextResponse,
  isGrpcWebText,
} from "../../src/edge/grpc-web-text.ts";

async function* stream(chunks: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield typeof c === "string" ? Buffer.from(c, "latin1") : c;
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(p);
  return Buffer.concat(parts);
}

function request(chunks: (string | Uint8Array)[]): UniversalServerRequest {
  return {
    httpVersion: "1.1",
    url: "http://localhost/x.v1.S/M",
    method: "POST",
    header: new Headers({ "content-type": "application/grpc-web-text", "content-length": "99" }),
    body: stream(chunks),
    signal: new AbortController().signal,
  };
}

async function decode(chunks: (string | Uint8Array)[]): Promise<Buffer> {
  return collect(decodeGrpcWebTextRequest(request(chunks)).body as AsyncIterable<Uint8Array>);
}

async function decodeError(chunks: string[]): Promise<ConnectError> {
  const err = await decode(chunks).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectError);
  return err as ConnectError;
}

/** Splits s into pieces at the given sorted cut positions. */
function cut(s: string, cuts: number[]): string[] {
  const bounds = [0, ...cuts, s.length];
  return bounds.slice(1).map((end, i) => s.slice(bounds[i], end));
}

describe("isGrpcWebText", () => {
  it("matches the text content types only", () => {
    expect(isGrpcWebText("application/grpc-web-text")).toBe(true);
    expect(isGrpcWebText("Application/GRPC-Web-Text+proto; charset=utf-8")).toBe(true);
    expect(isGrpcWebText("application/grpc-web+proto")).toBe(false);
    expect(isGrpcWebText("application/grpc-web-text+json")).toBe(false);
    expect(isGrpcWebText(undefined)).toBe(false);
  });
});

describe("decodeGrpcWebTextRequest", () => {
  const payload = Buffer.from([0, 0, 0, 0, 5, 10, 3, 97, 98, 99, 0x80, 0xff, 1]);
  const text = payload.toString("base64");

  it("rewrites the content type and drops the content length", () => {
    const req = decodeGrpcWebTextRequest(request([]));
    expect(req.header.get("content-type")).toBe("application/grpc-web+proto");
    expect(req.header.get("content-length")).toBeNull();
  });

  it("decodes input split at any two positions", async () => {
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++) {
        expect(await decode(cut(text, [i, j]))).toEqual(payload);
      }
    }
  });

  it("decodes messages padded separately and concatenated", async () => {
    const parts = [Buffer.from("a"), Buffer.from("bc"), Buffer.from("def"), Buffer.from("ghij")];
    const joined = parts.map((p) => p.toString("base64")).join("");
    expect(joined).toMatch(/=[^=]/); // padding in the middle of the text
    expect(await decode([joined])).toEqual(Buffer.concat(parts));
    expect(await decode([...joined])).toEqual(Buffer.concat(parts));
  });

  it("ignores whitespace", async () => {
    const spaced = [...text].join(" \r\n\t");
    expect(await decode([spaced.slice(0, 7), spaced.slice(7)])).toEqual(payload);
  });

  it("accepts a final group without padding", async () => {
    expect(await decode(["YWI"])).toEqual(Buffer.from("ab"));
  });

  it.each([
    ["a character outside the alphabet", ["AA*A"]],
    ["non-ASCII bytes", ["AA\u00e9A"]],
    ["a truncated group", ["AAAAA"]],
    ["misplaced padding", ["A=AA"]],
    ["data after padding", ["AA=A"]],
  ])("rejects %s with InvalidArgument", async (_, chunks) => {
    const err = await decodeError(chunks);
    expect(err.code).toBe(Code.InvalidArgument);
  });
});

describe("encodeGrpcWebTextResponse", () => {
  it("sets the request's content type", async () => {
    const res = encodeGrpcWebTextResponse(
      { status: 200, header: new Headers({ "content-type": "application/grpc-web+proto" }), body: stream(["abcd"]) },
      "application/grpc-web-text+proto",
    );
    expect(res.header?.get("content-type")).toBe("application/grpc-web-text+proto");
    expect((await collect(res.body!)).toString()).toBe(Buffer.from("abcd").toString("base64"));
  });

  it("encodes each chunk on its own, padded, and the whole decodes back", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (chunks, rawCuts) => {
          const res = encodeGrpcWebTextResponse({ status: 200, body: stream(chunks) }, "application/grpc-web-text");
          const parts: Uint8Array[] = [];
          for await (const p of res.body!) parts.push(p);
          // One output chunk per non-empty input chunk, decodable without what follows.
          const nonEmpty = chunks.filter((c) => c.length > 0);
          expect(parts.map((p) => Buffer.from(Buffer.from(p).toString("latin1"), "base64"))).toEqual(nonEmpty.map((c) => Buffer.from(c)));
          for (const p of parts) expect(p.length % 4).toBe(0);
          const text = Buffer.concat(parts).toString("latin1");
          const cuts = rawCuts.map((c) => c % (text.length + 1)).sort((a, b) => a - b);
          expect(await decode(cut(text, cuts))).toEqual(Buffer.concat(chunks));
        },
      ),
    );
  });
});
