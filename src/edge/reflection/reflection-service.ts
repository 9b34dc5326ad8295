// gRPC server reflection (grpc.reflection.v1 and its predecessor v1alpha)
// on the Connect router, so that grpcurl, buf curl, Postman and grpcui find
// the API without its .proto files. A bidirectional stream: it works over
// HTTP/2 (gRPC, or Connect streaming), as these clients use it.
import { clone, create, fromBinary, toBinary, type DescMessage, type DescService, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, SourceCodeInfoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import {
  ServerReflection,
  ServerReflectionRequestSchema,
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from "../../../gen/grpc/reflection/v1/reflection_pb.js";
import {
  ServerReflection as ServerReflectionV1alpha,
  ServerReflectionRequestSchema as RequestV1alphaSchema,
  ServerReflectionResponseSchema as ResponseV1alphaSchema,
} from "../../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { sourceInfo } from "../../../gen/source_info.js";
import { createReflectionIndex, type ReflectionIndex } from "./reflection-index.ts";

type Answer = MessageInitShape<typeof ServerReflectionResponseSchema>["messageResponse"];

const notFound = (what: string): Answer => ({
  case: "errorResponse",
  value: { errorCode: Code.NotFound, errorMessage: `${what} not found` },
});

/** The answer to one question; `sent` holds the files this stream has carried so far. */
function answer(index: ReflectionIndex, req: ServerReflectionRequest, sent: Set<string>): Answer {
  const files = (file: ReturnType<ReflectionIndex["fileByName"]>, what: string): Answer =>
    file === undefined
      ? notFound(what)
      : { case: "fileDescriptorResponse", value: { fileDescriptorProto: index.encodeWithImports(file, sent) } };
  const q = req.messageRequest;
  switch (q.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: index.serviceNames.map((name) => ({ name })) } };
    case "fileByFilename":
      return files(index.fileByName(q.value), `file ${JSON.stringify(q.value)}`);
    case "fileContainingSymbol":
      return files(index.fileBySymbol(q.value), `symbol ${JSON.stringify(q.value)}`);
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = q.value;
      return files(index.fileByExtension(containingType, extensionNumber), `extension ${extensionNumber} of ${JSON.stringify(containingType)}`);
    }
    case "allExtensionNumbersOfType": {
      const numbers = index.extensionNumbers(q.value);
      if (numbers === undefined) return notFound(`message type ${JSON.stringify(q.value)}`);
      return { case: "allExtensionNumbersResponse", value: { baseTypeName: q.value, extensionNumber: numbers } };
    }
    default:
      // The stream stays open: the next question may be a good one.
      return {
        case: "errorResponse",
        value: { errorCode: Code.InvalidArgument, errorMessage: "the request asks nothing: set one of message_request" },
      };
  }
}

async function* answerAll(index: () => ReflectionIndex, requests: AsyncIterable<ServerReflectionRequest>): AsyncGenerator<ServerReflectionResponse> {
  const sent = new Set<string>();
  for await (const req of requests) {
    yield create(ServerReflectionResponseSchema, { validHost: req.host, originalRequest: req, messageResponse: answer(index(), req, sent) });
  }
}

/** A copy of a file's descriptor with its comments (gen/source_info.js), so that clients can show them. */
function withComments(proto: FileDescriptorProto): FileDescriptorProto {
  const info = sourceInfo[proto.name];
  if (info === undefined) return proto;
  const copy = clone(FileDescriptorProtoSchema, proto);
  copy.sourceCodeInfo = fromBinary(SourceCodeInfoSchema, Buffer.from(info, "base64"));
  return copy;
}

/** v1alpha has v1's messages field for field under another package: the bytes are read as the other's. */
function reread<O extends DescMessage>(from: DescMessage, to: O, msg: MessageShape<DescMessage>): MessageShape<O> {
  return fromBinary(to, toBinary(from, msg));
}

async function* mapStream<I, O>(items: AsyncIterable<I>, f: (item: I) => O): AsyncGenerator<O> {
  for await (const item of items) yield f(item);
}

/**
 * Registers both versions, describing `services` (the reflection services
 * are added to them) and `messages` (see createReflectionIndex), comments
 * included. The index is
 * built on the first question, so reflection costs nothing at start-up.
 */
export function registerReflection(router: ConnectRouter, services: readonly DescService[], messages: readonly DescMessage[] = []): void {
  let built: ReflectionIndex | undefined;
  const index = () => (built ??= createReflectionIndex([...services, ServerReflection, ServerReflectionV1alpha], messages, withComments));
  router.rpc(ServerReflection.method.serverReflectionInfo, (requests) => answerAll(index, requests));
  router.rpc(ServerReflectionV1alpha.method.serverReflectionInfo, (requests) => {
    const asV1 = mapStream(requests, (r) => reread(RequestV1alphaSchema, ServerReflectionRequestSchema, r));
    return mapStream(answerAll(index, asV1), (r) => reread(ServerReflectionResponseSchema, ResponseV1alphaSchema, r));
  });
}
