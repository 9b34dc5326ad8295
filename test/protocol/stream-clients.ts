// Calls as independent clients see them: for a server stream, how many
// messages arrived and with which status it ended ("OK" or a Code name).
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";

export interface StreamOutcome {
  events: number;
  /** "OK" or a Code name such as "DeadlineExceeded". */
  status: string;
}

/** The Connect transports of the three protocols, each with the header that carries a timeout. */
export const CONNECT_CLIENTS: { name: string; timeoutHeader: string; transport(baseUrl: string): Transport }[] = [
  { name: "gRPC", timeoutHeader: "grpc-timeout", transport: (baseUrl) => createGrpcTransport({ baseUrl }) },
  {
    name: "gRPC-web",
    timeoutHeader: "grpc-timeout",
    transport: (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
  },
  {
    name: "Connect",
    timeoutHeader: "connect-timeout-ms",
    transport: (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true }),
  },
];

/** The header value of a timeout of `ms` in the given header's own syntax. */
export function timeoutValue(header: string, ms: number): string {
  return header === "grpc-timeout" ? `${ms}m` : String(ms);
}

/** Reads a Connect client stream to its end. */
export async function drain(stream: AsyncIterable<unknown>, onEvent: (n: number) => void = () => {}): Promise<StreamOutcome> {
  let events = 0;
  try {
    for await (const _ of stream) onEvent(++events);
    return { events, status: "OK" };
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    return { events, status: String(Code[err.code]) };
  }
}

/**
 * One server-streaming call through @grpc/grpc-js. `deadline` is grpc-js's own
 * deadline (enforced by the client too); metadata goes out as given, so a
 * grpc-timeout there is enforced by the server alone.
 */
export function grpcJsStream<I extends DescMessage, O extends DescMessage>(
  target: string,
  path: string,
  schemas: { input: I; output: O },
  request: MessageInitShape<I>,
  opts: { metadata?: Record<string, string>; deadline?: Date; channel?: grpc.ChannelOptions; onEvent?: (n: number) => void } = {},
): Promise<StreamOutcome> {
  const client = new grpc.Client(new URL(target).host, grpc.credentials.createInsecure(), opts.channel ?? {});
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(opts.metadata ?? {})) md.set(k, v);
  return new Promise<StreamOutcome>((resolve) => {
    let events = 0;
    const call = client.makeServerStreamRequest(
      path,
      (m: MessageInitShape<I>) => Buffer.from(toBinary(schemas.input, create(schemas.input, m))),
      (b: Buffer) => fromBinary(schemas.output, b),
      request,
      md,
      opts.deadline ? { deadline: opts.deadline } : {},
    );
    call.on("data", () => {
      events++;
      opts.onEvent?.(events);
    });
    call.on("error", () => {}); // the status event reports it
    call.on("status", (st: grpc.StatusObject) => resolve({ events, status: st.code === grpc.status.OK ? "OK" : String(Code[st.code as number]) }));
  }).finally(() => client.close());
}

/** One unary call through @grpc/grpc-js; resolves with the response or the status name. */
export function grpcJsUnary<I extends DescMessage, O extends DescMessage>(
  target: string,
  path: string,
  schemas: { input: I; output: O },
  request: MessageInitShape<I>,
  opts: { metadata?: Record<string, string>; channel?: grpc.ChannelOptions } = {},
): Promise<{ status: string; message?: MessageShape<O> }> {
  const client = new grpc.Client(new URL(target).host, grpc.credentials.createInsecure(), opts.channel ?? {});
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(opts.metadata ?? {})) md.set(k, v);
  return new Promise<{ status: string; message?: MessageShape<O> }>((resolve) => {
    client.makeUnaryRequest(
      path,
      (m: MessageInitShape<I>) => Buffer.from(toBinary(schemas.input, create(schemas.input, m))),
      (b: Buffer) => fromBinary(schemas.output, b),
      request,
      md,
      (err: grpc.ServiceError | null, message?: MessageShape<O>) =>
        resolve(err ? { status: String(Code[err.code as number]) } : { status: "OK", ...(message ? { message } : {}) }),
    );
  }).finally(() => client.close());
}
