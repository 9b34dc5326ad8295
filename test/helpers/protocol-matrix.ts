// Every way a client reaches the server, each as a Connect Transport, so one
// test body runs unchanged over gRPC, gRPC-web, Connect, grpc-js, raw JSON
// and grpc-web-text, in cleartext and over TLS.
import type { Interceptor, Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
  type ConnectTransportOptions,
  type GrpcTransportOptions,
  type GrpcWebTransportOptions,
} from "@connectrpc/connect-node";
import * as https from "node:https";
import { createRawGrpcWebTextTransport } from "./raw-grpc-web-text-transport.ts";
import { createRawJsonTransport } from "./raw-json-transport.ts";

/** The protocol family, which fixes the wire format of metadata such as the deadline header. */
export type Family = "grpc" | "grpc-web" | "connect";

export interface TransportOptions {
  /** The CA to trust; TLS protocols need the test certificate here. */
  ca?: Buffer;
  /** Connect interceptors, as ZITADEL's console sets its organization header. */
  interceptors?: Interceptor[];
}

export interface Protocol {
  name: string;
  family: Family;
  /** Supports server streaming. */
  streaming: boolean;
  /** Needs a TLS server. */
  tls: boolean;
  transport(baseUrl: string, opts?: TransportOptions): Transport;
}

type NodeOptions = { httpVersion?: "1.1" | "2"; useBinaryFormat?: boolean };
type NodeSettings = NodeOptions & TransportOptions & { baseUrl: string; nodeOptions?: object };

// connect-node's three factories share these options; their types differ only in what is not set here.
const NODE_TRANSPORTS: Record<Family, (o: NodeSettings) => Transport> = {
  grpc: (o) => createGrpcTransport(o as GrpcTransportOptions),
  "grpc-web": (o) => createGrpcWebTransport(o as GrpcWebTransportOptions),
  connect: (o) => createConnectTransport(o as ConnectTransportOptions),
};

/** A protocol spoken by connect-node's own transports; `tls` turns the trusted CA into their nodeOptions. */
function connectNode(name: string, family: Family, options: NodeOptions, tls?: (ca?: Buffer) => object): Protocol {
  return {
    name,
    family,
    streaming: true,
    tls: tls !== undefined,
    transport: (baseUrl, { ca, interceptors } = {}) =>
      NODE_TRANSPORTS[family]({ baseUrl, httpVersion: "2", ...options, interceptors, ...(tls ? { nodeOptions: tls(ca) } : {}) }),
  };
}

/** Every protocol of the matrix, by name; tests pick theirs with protocols(...). */
export const PROTOCOLS: Protocol[] = [
  connectNode("grpc h2c", "grpc", {}),
  connectNode("grpc-web http/1.1", "grpc-web", { httpVersion: "1.1" }),
  connectNode("grpc-web h2c", "grpc-web", {}),
  // application/grpc+json and application/grpc-web+json: the JSON codecs of both gRPC protocols.
  connectNode("grpc+json h2c", "grpc", { useBinaryFormat: false }),
  connectNode("grpc-web+json http/1.1", "grpc-web", { httpVersion: "1.1", useBinaryFormat: false }),
  connectNode("connect json http/1.1", "connect", { httpVersion: "1.1", useBinaryFormat: false }),
  connectNode("connect json h2c", "connect", { useBinaryFormat: false }),
  connectNode("connect proto http/1.1", "connect", { httpVersion: "1.1", useBinaryFormat: true }),
  connectNode("connect proto h2c", "connect", { useBinaryFormat: true }),
  {
    name: "grpc-js h2c",
    family: "grpc",
    streaming: true,
    tls: false,
    transport: (baseUrl, opts) => loadedOnFirstCall(async () => (await import("./grpc-js-transport.ts")).createGrpcJsTransport(baseUrl, opts)),
  },
  { name: "raw json http/1.1", family: "connect", streaming: false, tls: false, transport: (baseUrl, opts) => createRawJsonTransport(baseUrl, opts) },
  {
    name: "raw grpc-web-text http/1.1",
    family: "grpc-web",
    streaming: false,
    tls: false,
    transport: (baseUrl, opts) => createRawGrpcWebTextTransport(baseUrl, opts),
  },
  connectNode("grpc tls h2", "grpc", {}, (ca) => ({ ca })),
  // Offers only http/1.1 by ALPN, so the TLS server must pick HTTP/1.1.
  connectNode("connect json tls http/1.1", "connect", { httpVersion: "1.1", useBinaryFormat: false }, (ca) => ({
    agent: new https.Agent({ ca, ALPNProtocols: ["http/1.1"] }),
  })),
  connectNode("grpc-web tls h2", "grpc-web", {}, (ca) => ({ ca })),
];

/**
 * A transport whose module is imported on its first call: @grpc/grpc-js and
 * proto-loader cost every test file that imports this list a fifth of a
 * second of CPU otherwise, and most never call over grpc-js.
 */
function loadedOnFirstCall(load: () => Promise<Transport & { close?(): void }>): Transport & { close(): void } {
  let loaded: Promise<Transport & { close?(): void }> | undefined;
  const get = () => (loaded ??= load());
  return {
    unary: async (method, signal, timeoutMs, header, input, contextValues) =>
      (await get()).unary(method, signal, timeoutMs, header, input, contextValues),
    stream: async (method, signal, timeoutMs, header, input, contextValues) =>
      (await get()).stream(method, signal, timeoutMs, header, input, contextValues),
    close: () => void loaded?.then((t) => t.close?.()),
  };
}

/** The protocol of this name; an unknown name throws, so a renamed protocol cannot silently drop out of a test. */
export function protocol(name: string): Protocol {
  const p = PROTOCOLS.find((x) => x.name === name);
  if (!p) throw new Error(`no protocol named "${name}"`);
  return p;
}

/** The protocols of these names, in this order. */
export const protocols = (...names: string[]): Protocol[] => names.map(protocol);

/** The three wire protocols ZITADEL serves its API on. */
export const ZITADEL_PROTOCOLS = protocols("grpc h2c", "grpc-web http/1.1", "connect json http/1.1");

/** One client of each family, as the stream tests use them. */
export const FAMILY_PROTOCOLS = protocols("grpc h2c", "grpc-web http/1.1", "connect proto h2c");

/** The header that asks the server for a deadline of `ms`, in the family's own syntax. */
export function deadlineHeader(p: Protocol, ms: number): Record<string, string> {
  return p.family === "connect" ? { "connect-timeout-ms": String(ms) } : { "grpc-timeout": `${ms}m` };
}
