// Google's gRPC-web browser runtime (npm grpc-web) as a client we did not
// write. Its code generator downloads a binary, so method descriptors are
// built here from the protobuf-es descriptors: toBinary serializes the
// request, fromBinary deserializes the response, as generated code would.
//
// The runtime needs XMLHttpRequest. jsdom's follows the XHR standard where
// the small Node polyfills do not: it fires readystatechange with a grown
// responseText for every chunk (xhr2 and xmlhttprequest-ssl fill it only at
// the end, so a text stream's messages would all arrive when it ends; unxhr
// streams text but hands arraybuffer responses over with Node's shared
// buffer pool around them, which breaks binary mode). Its XHR also behaves
// as a page on PAGE_ORIGIN would, CORS preflights included, so the server
// under test must allow that origin.
import { fromBinary, toBinary, type DescMessage, type DescMethodServerStreaming, type DescMethodUnary, type MessageShape } from "@bufbuild/protobuf";
import { GrpcWebClientBase, MethodDescriptor, MethodType, type Metadata, type RpcError } from "grpc-web";
import { createRequire } from "node:module";

/** The origin of the simulated web page; start the server with corsOrigins: [PAGE_ORIGIN]. */
export const PAGE_ORIGIN = "http://app.example.test";

// jsdom's types pull the DOM library into the whole program, so it is loaded untyped.
const { JSDOM } = createRequire(import.meta.url)("jsdom") as { JSDOM: new (html: string, opts: { url: string }) => { window: { XMLHttpRequest: unknown } } };
// grpc-web looks XMLHttpRequest up on globalThis; only this test file's process gets it (vitest runs each file in its own).
(globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = new JSDOM("", { url: `${PAGE_ORIGIN}/` }).window.XMLHttpRequest;

export type GrpcWebFormat = "text" | "binary";

/** What a call ended with, as grpc-web reports it: its numeric code and the decoded grpc-message. */
export interface GrpcWebStatus {
  code: number;
  message: string;
}

type Method<I extends DescMessage, O extends DescMessage> = DescMethodUnary<I, O> | DescMethodServerStreaming<I, O>;

/** The descriptor protoc-gen-grpc-web would generate for `method`. */
function descriptorOf<I extends DescMessage, O extends DescMessage>(method: Method<I, O>) {
  // The runtime never constructs these classes; generated code passes the message classes.
  const unusedClass = Object as unknown as new () => never;
  return new MethodDescriptor<MessageShape<I>, MessageShape<O>>(
    `/${method.parent.typeName}/${method.name}`,
    method.methodKind === "unary" ? MethodType.UNARY : MethodType.SERVER_STREAMING,
    unusedClass,
    unusedClass,
    (req: MessageShape<I>) => toBinary(method.input, req),
    (bytes: Uint8Array) => fromBinary(method.output, bytes),
  );
}

/** Calls to the server at `baseUrl` (no trailing slash) in one of the runtime's two wire formats. */
export class GrpcWebClient {
  private readonly base: GrpcWebClientBase;
  private readonly baseUrl: string;

  constructor(baseUrl: string, format: GrpcWebFormat) {
    this.baseUrl = baseUrl;
    this.base = new GrpcWebClientBase({ format });
  }

  private url(method: Method<DescMessage, DescMessage>): string {
    return `${this.baseUrl}/${method.parent.typeName}/${method.name}`;
  }

  /** A unary call: the response, or the status it failed with. */
  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageShape<I>,
    metadata: Metadata = {},
  ): Promise<{ response: MessageShape<O> } | { status: GrpcWebStatus }> {
    // unaryCall is the promise API; index.d.ts also declares thenableCall, which 2.1.1 does not export.
    return this.base.unaryCall(this.url(method), request, metadata, descriptorOf(method)).then(
      (response) => ({ response }),
      (err: RpcError) => ({ status: { code: err.code, message: err.message } }),
    );
  }

  /**
   * A server stream. `messages` fills as they arrive; `ended` resolves with
   * the final status (0 for OK). After cancel() the runtime reports nothing
   * more, so `ended` stays pending.
   */
  serverStream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodServerStreaming<I, O>,
    request: MessageShape<I>,
    metadata: Metadata = {},
  ): { messages: MessageShape<O>[]; ended: Promise<{ messages: MessageShape<O>[]; status: GrpcWebStatus }>; cancel(): void } {
    const stream = this.base.serverStreaming(this.url(method), request, metadata, descriptorOf(method));
    const messages: MessageShape<O>[] = [];
    const ended = new Promise<{ messages: MessageShape<O>[]; status: GrpcWebStatus }>((resolve) => {
      stream.on("data", (m) => messages.push(m));
      // A failure fires 'error', then 'status'; a success only 'status'.
      stream.on("error", (err) => resolve({ messages, status: { code: err.code, message: err.message } }));
      stream.on("status", (st) => resolve({ messages, status: { code: st.code, message: st.details } }));
    });
    return { messages, ended, cancel: () => stream.cancel() };
  }
}
