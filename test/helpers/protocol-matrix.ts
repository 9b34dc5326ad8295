// Every way a client reaches the server, each as a Connect Transport, so one
// test body runs unchanged over gRPC, gRPC-web, Connect, grpc-js, raw JSON
// and grpc-web-text, in cleartext and over TLS.
import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as https from "node:https";
import { createGrpcJsTransport } from "./grpc-js-transport.ts";
import { createRawGrpcWebTextTransport } from "./raw-grpc-web-text-transport.ts";
import { createRawJsonTransport } from "./raw-json-transport.ts";
import { testCert } from "./test-cert.ts";
import { startTestServer, type TestServer, type TestServerOptions } from "./server.ts";

export interface Protocol {
  name: string;
  /** Supports server streaming. */
  streaming: boolean;
  /** Needs a TLS server. */
  tls: boolean;
  transport(baseUrl: string, opts: { ca?: Buffer }): Transport;
}

export const PROTOCOLS: Protocol[] = [
  { name: "grpc h2c", streaming: true, tls: false, transport: (baseUrl) => createGrpcTransport({ baseUrl }) },
  {
    name: "grpc-web http/1.1",
    streaming: true,
    tls: false,
    transport: (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
  },
  { name: "grpc-web h2c", streaming: true, tls: false, transport: (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "2" }) },
  // application/grpc+json and application/grpc-web+json: the JSON codecs of both gRPC protocols.
  { name: "grpc+json h2c", streaming: true, tls: false, transport: (baseUrl) => createGrpcTransport({ baseUrl, useBinaryFormat: false }) },
  {
    name: "grpc-web+json http/1.1",
    streaming: true,
    tls: false,
    transport: (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
  },
  {
    name: "connect json http/1.1",
    streaming: true,
    tls: false,
    transport: (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
  },
  {
    name: "connect json h2c",
    streaming: true,
    tls: false,
    transport: (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: false }),
  },
  {
    name: "connect proto http/1.1",
    streaming: true,
    tls: false,
    transport: (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true }),
  },
  {
    name: "connect proto h2c",
    streaming: true,
    tls: false,
    transport: (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true }),
  },
  { name: "grpc-js h2c", streaming: true, tls: false, transport: (baseUrl) => createGrpcJsTransport(baseUrl) },
  { name: "raw json http/1.1", streaming: false, tls: false, transport: (baseUrl) => createRawJsonTransport(baseUrl) },
  { name: "raw grpc-web-text http/1.1", streaming: false, tls: false, transport: (baseUrl) => createRawGrpcWebTextTransport(baseUrl) },
  {
    name: "grpc tls h2",
    streaming: true,
    tls: true,
    transport: (baseUrl, { ca }) => createGrpcTransport({ baseUrl, nodeOptions: { ca } }),
  },
  {
    name: "connect json tls http/1.1",
    streaming: true,
    tls: true,
    transport: (baseUrl, { ca }) =>
      createConnectTransport({
        baseUrl,
        httpVersion: "1.1",
        useBinaryFormat: false,
        // Offer only http/1.1 by ALPN, so the TLS server must pick HTTP/1.1.
        nodeOptions: { agent: new https.Agent({ ca, ALPNProtocols: ["http/1.1"] }) },
      }),
  },
  {
    name: "grpc-web tls h2",
    streaming: true,
    tls: true,
    transport: (baseUrl, { ca }) => createGrpcWebTransport({ baseUrl, httpVersion: "2", nodeOptions: { ca } }),
  },
];

export type MatrixServer = TestServer & { client<S extends DescService>(service: S): Client<S> };

/** Starts a server suitable for the protocol (TLS when p.tls) and returns a client factory. */
export async function startMatrixServer(p: Protocol, opts: TestServerOptions = {}): Promise<MatrixServer> {
  const cert = p.tls ? testCert() : undefined;
  const server = await startTestServer(cert ? { ...opts, tlsCert: cert.certPath, tlsKey: cert.keyPath } : opts);
  let transport: Transport | undefined;
  return {
    ...server,
    client<S extends DescService>(service: S): Client<S> {
      transport ??= p.transport(server.url, cert ? { ca: cert.cert } : {});
      return createClient(service, transport);
    },
    async close() {
      if (transport && "close" in transport && typeof transport.close === "function") transport.close();
      await server.close();
    },
  };
}
