// A Connect Transport whose calls go through @grpc/grpc-js, an independent
// gRPC implementation: method paths come from the .proto files as
// @grpc/proto-loader reads them, messages are (de)serialized by protobuf-es.
import { fromBinary, toBinary, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextValues, type Interceptor, type Transport } from "@connectrpc/connect";
import { runStreamingCall } from "@connectrpc/connect/protocol";
import * as grpc from "@grpc/grpc-js";
import { loadSync, type PackageDefinition } from "@grpc/proto-loader";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { unaryVia } from "./raw-json-transport.ts";

const protoDir = fileURLToPath(new URL("../../proto", import.meta.url));
const OWN_PACKAGE = "membership.v1.";
let packageDefinition: PackageDefinition | undefined;

/** Loaded once per process: every membership/v1 file, as grpc-js users load them. */
function definition(): PackageDefinition {
  packageDefinition ??= loadSync(
    readdirSync(`${protoDir}/membership/v1`).filter((f) => f.endsWith(".proto")).map((f) => `membership/v1/${f}`),
    { includeDirs: [protoDir], keepCase: true, longs: String, enums: String, defaults: true },
  );
  return packageDefinition;
}

/**
 * The gRPC path of a method as proto-loader defines it; throws when proto/
 * does not declare a method of our own package. Services from elsewhere
 * (ZITADEL's published descriptors) have no .proto here, so their path comes
 * from the descriptor.
 */
export function grpcPath(method: { parent: { typeName: string }; name: string }): string {
  const expected = `/${method.parent.typeName}/${method.name}`;
  if (!method.parent.typeName.startsWith(OWN_PACKAGE)) return expected;
  const service = definition()[method.parent.typeName] as Record<string, { path?: string }> | undefined;
  const path = service?.[method.name]?.path;
  if (path !== expected) throw new Error(`proto-loader defines no method ${expected} (found ${String(path)})`);
  return path;
}

export interface GrpcJsTransport extends Transport {
  /** Closes the grpc-js channel. */
  close(): void;
}

/** baseUrl is http://host:port (insecure) or https://host:port (TLS, trusting `ca`). */
export function createGrpcJsTransport(baseUrl: string, opts: { ca?: Buffer; interceptors?: Interceptor[] } = {}): GrpcJsTransport {
  const url = new URL(baseUrl);
  const creds = url.protocol === "https:" ? grpc.credentials.createSsl(opts.ca ?? null) : grpc.credentials.createInsecure();
  const client = new grpc.Client(url.host, creds);

  return {
    close: () => client.close(),

    unary: unaryVia(baseUrl, (req) => {
      const { method } = req;
      return new Promise((resolve, reject) => {
        const trailer = new Headers();
        let header = new Headers();
        const call = client.makeUnaryRequest<MessageShape<typeof method.input>, MessageShape<typeof method.output>>(
          grpcPath(method),
          (m) => Buffer.from(toBinary(method.input, m)),
          (b) => fromBinary(method.output, b),
          req.message,
          toMetadata(req.header),
          {},
          (err, message) => {
            if (err) return reject(toConnectError(err));
            if (message === undefined) return reject(new ConnectError("no response message", Code.Internal));
            resolve({ stream: false, service: method.parent, method, header, trailer, message });
          },
        );
        call.on("metadata", (md: grpc.Metadata) => (header = metadataToHeaders(md)));
        call.on("status", (st: grpc.StatusObject) => copyInto(trailer, st.metadata));
        onAbort(req.signal, () => call.cancel());
      });
    }, opts.interceptors),

    stream: (method, signal, timeoutMs, header, input, contextValues) =>
      runStreamingCall({
        interceptors: opts.interceptors ?? [],
        signal,
        timeoutMs,
        req: {
          stream: true,
          service: method.parent,
          method,
          requestMethod: "POST",
          url: baseUrl + grpcPath(method),
          header: new Headers(header),
          contextValues: contextValues ?? createContextValues(),
          message: input,
        },
        next: async (req) => {
          if (method.methodKind !== "server_streaming") {
            throw new ConnectError(`grpc-js transport: ${method.methodKind} is not supported`, Code.Unimplemented);
          }
          let request: MessageShape<typeof method.input> | undefined;
          for await (const m of req.message) request ??= m;
          if (request === undefined) throw new ConnectError("server streaming needs one request message", Code.InvalidArgument);
          const call = client.makeServerStreamRequest<MessageShape<typeof method.input>, MessageShape<typeof method.output>>(
            grpcPath(method),
            (m) => Buffer.from(toBinary(method.input, m)),
            (b) => fromBinary(method.output, b),
            request,
            toMetadata(req.header),
            {},
          );
          onAbort(req.signal, () => call.cancel());
          const trailer = new Headers();
          call.on("status", (st: grpc.StatusObject) => copyInto(trailer, st.metadata));
          // Headers arrive first, or, for a trailers-only answer, the status does.
          const header = await new Promise<Headers>((resolve, reject) => {
            call.once("metadata", (md: grpc.Metadata) => resolve(metadataToHeaders(md)));
            call.once("status", (st: grpc.StatusObject) => st.code === grpc.status.OK && resolve(new Headers()));
            // Stays attached for the whole call, so an error is never unhandled.
            call.on("error", (err: grpc.ServiceError) => reject(toConnectError(err)));
          });
          async function* messages() {
            try {
              for await (const m of call) yield m as MessageShape<typeof method.output>;
            } catch (err) {
              throw toConnectError(err as grpc.ServiceError);
            }
          }
          return { stream: true, service: method.parent, method, header, trailer, message: messages() };
        },
      }),
  };
}

/** Connect's runUnaryCall and runStreamingCall turn timeoutMs into the signal, so cancelling on abort covers deadlines. */
function onAbort(signal: AbortSignal, cancel: () => void): void {
  if (signal.aborted) cancel();
  else signal.addEventListener("abort", cancel, { once: true });
}

function toMetadata(headers: Headers): grpc.Metadata {
  const md = new grpc.Metadata();
  headers.forEach((value, key) => md.add(key, key.endsWith("-bin") ? Buffer.from(value, "base64") : value));
  return md;
}

function copyInto(target: Headers, md: grpc.Metadata): void {
  for (const [key, value] of Object.entries(md.getMap())) {
    target.append(key, typeof value === "string" ? value : Buffer.from(value).toString("base64"));
  }
}

function metadataToHeaders(md: grpc.Metadata): Headers {
  const h = new Headers();
  copyInto(h, md);
  return h;
}

/** gRPC status numbers equal Connect's Code values; grpc-js reports details and trailers separately. */
function toConnectError(err: Partial<grpc.ServiceError>): ConnectError {
  if (err instanceof ConnectError) return err;
  const code = typeof err.code === "number" && err.code > 0 && err.code <= 16 ? (err.code as number as Code) : Code.Unknown;
  return new ConnectError(err.details ?? err.message ?? "grpc-js error", code, err.metadata ? metadataToHeaders(err.metadata) : undefined);
}
