// Calls as @grpc/grpc-js makes them with its own options (deadline, channel
// options such as compression, metadata sent as given), under the contract
// of helpers/call-outcomes.ts: a unary call resolves with its message or
// rejects with a ConnectError, a stream ends in a StreamOutcome.
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import type { HealthCheckResponse } from "../../gen/grpc/health/v1/health_pb.js";
import type { WatchMembershipsResponse } from "../../gen/membership/v1/membership_pb.js";
import type { StreamOutcome } from "../helpers/call-outcomes.ts";
import type { World } from "../helpers/fixtures.ts";

/**
 * Two members added to a project: a watch with `request` (after the first
 * one's sequence) replays exactly one event, `replayed` joining, then waits.
 */
export async function oneEventToReplay(w: World, projectId = w.projectId) {
  const [a, b] = [await w.newUser(), await w.newUser()];
  const afterSequence = (await w.c.members.addProjectMember({ projectId, userId: a.id }, w.admin)).details!.sequence;
  await w.c.members.addProjectMember({ projectId, userId: b.id }, w.admin);
  return { request: { projectId, afterSequence }, replayed: b.id };
}

/** The principal of each WatchMemberships event, in order. */
export const principalsOf = (messages: WatchMembershipsResponse[]) => messages.map((m) => m.event?.after?.["principalId"]);

/** A WatchMemberships outcome as the principals whose events arrived, and how it ended. */
export const watchEnding = (o: StreamOutcome<WatchMembershipsResponse>) => ({ principals: principalsOf(o.messages), code: o.code });

/** A Health.Watch outcome as the statuses that arrived, in order, and how it ended. */
export const healthEnding = (o: StreamOutcome<HealthCheckResponse>) => ({ statuses: o.messages.map((m) => m.status), code: o.code });

interface GrpcJsCall<I extends DescMessage, O extends DescMessage> {
  target: string;
  path: string;
  schemas: { input: I; output: O };
  metadata?: Record<string, string>;
  channel?: grpc.ChannelOptions;
}

/** A grpc-js client for one call, the (de)serializers of its schemas, and its metadata. */
function grpcJsCall<I extends DescMessage, O extends DescMessage>(c: GrpcJsCall<I, O>) {
  const client = new grpc.Client(new URL(c.target).host, grpc.credentials.createInsecure(), c.channel ?? {});
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(c.metadata ?? {})) metadata.set(k, v);
  const serialize = (m: MessageInitShape<I>) => Buffer.from(toBinary(c.schemas.input, create(c.schemas.input, m)));
  const deserialize = (b: Buffer) => fromBinary(c.schemas.output, b);
  return { client, metadata, serialize, deserialize };
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
  opts: { metadata?: Record<string, string>; deadline?: Date; channel?: grpc.ChannelOptions; onMessage?: (m: MessageShape<O>, count: number) => void } = {},
): Promise<StreamOutcome<MessageShape<O>>> {
  const { client, metadata, serialize, deserialize } = grpcJsCall({ target, path, schemas, ...opts });
  return new Promise<StreamOutcome<MessageShape<O>>>((resolve) => {
    const messages: MessageShape<O>[] = [];
    const call = client.makeServerStreamRequest(path, serialize, deserialize, request, metadata, opts.deadline ? { deadline: opts.deadline } : {});
    call.on("data", (m: MessageShape<O>) => {
      messages.push(m);
      opts.onMessage?.(m, messages.length);
    });
    call.on("error", () => {}); // the status event reports it
    // gRPC status numbers are Connect's Code values; 0 is OK.
    call.on("status", (st: grpc.StatusObject) => resolve({ messages, code: st.code === grpc.status.OK ? undefined : (st.code as number as Code) }));
  }).finally(() => client.close());
}

/** One unary call through @grpc/grpc-js: resolves with the response, rejects with a ConnectError of the status. */
export function grpcJsUnary<I extends DescMessage, O extends DescMessage>(
  target: string,
  path: string,
  schemas: { input: I; output: O },
  request: MessageInitShape<I>,
  opts: { metadata?: Record<string, string>; channel?: grpc.ChannelOptions } = {},
): Promise<MessageShape<O>> {
  const { client, metadata, serialize, deserialize } = grpcJsCall({ target, path, schemas, ...opts });
  return new Promise<MessageShape<O>>((resolve, reject) => {
    client.makeUnaryRequest(path, serialize, deserialize, request, metadata, (err: grpc.ServiceError | null, message?: MessageShape<O>) =>
      err || !message ? reject(new ConnectError(err?.details ?? "no response message", (err?.code ?? Code.Internal) as number as Code)) : resolve(message),
    );
  }).finally(() => client.close());
}
