// The reference the benchmark compares against: the same domain and storage
// code (createServices over openSqliteStore), the same authentication
// (access/authenticator.ts) and the same mappers (membership/membership-mappers.ts), served by
// @grpc/grpc-js instead of our listener, edge and Connect, with protobuf-es as
// the (de)serializer. Only the benchmarked RPCs; domain errors become the
// gRPC status of the same meaning. Its own process:
//   node bench/grpc-js-reference.ts --port 0 --db FILE      prints "listening on URL"
//   node bench/grpc-js-reference.ts --port 0 --constant    CheckAccess answers a constant (the transport bound)
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { MembershipService } from "../gen/membership/v1/membership_pb.js";
import { createServices } from "../src/app.ts";
import { createChangeNotifier } from "../src/audit/change-notifier.ts";
import { systemClock } from "../src/kernel/clock.ts";
import type { CallContext } from "../src/kernel/deps.ts";
import { DomainError } from "../src/kernel/errors.ts";
import { createIdGenerator } from "../src/kernel/ids.ts";
import { detailsOf } from "../src/membership/membership-service.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { createAuthenticator } from "../src/access/authenticator.ts";
import { createLogger } from "../src/logger.ts";
import { detailsToProto, principalFromOneof, ts } from "../src/rpc/common-mappers.ts";
import {
  membershipRoleToProto,
  membershipToProto,
  roleRequestsFromProto,
  filterFromProto,
  userRoleInput,
  withRoleInput,
} from "../src/membership/membership-mappers.ts";
import { kindToCode } from "../src/rpc/error-mapper.ts";

const { values: args } = parseArgs({ options: { port: { type: "string", default: "0" }, db: { type: "string" }, constant: { type: "boolean", default: false } } });
const M = MembershipService.method;
type Method = (typeof M)[keyof typeof M];
type Handler<T extends Method> = (req: MessageShape<T["input"]>, metadata: grpc.Metadata) => Promise<MessageInitShape<T["output"]>>;

function definition<I extends DescMessage, O extends DescMessage>(name: string, input: I, output: O): grpc.MethodDefinition<MessageShape<I>, MessageShape<O>> {
  return {
    path: `/${MembershipService.typeName}/${name}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: (msg) => Buffer.from(toBinary(input, msg)),
    requestDeserialize: (b) => fromBinary(input, b),
    responseSerialize: (msg) => Buffer.from(toBinary(output, msg)),
    responseDeserialize: (b) => fromBinary(output, b),
  };
}

/** A domain error keeps its code and message; anything else is INTERNAL with a fixed message, as in error-mapper.ts. */
function toStatus(err: unknown): grpc.ServiceError {
  const known = err instanceof DomainError;
  return Object.assign(new Error(), {
    code: known ? (kindToCode(err.kind) as number as grpc.status) : grpc.status.INTERNAL,
    details: known ? err.message : "internal error",
    metadata: new grpc.Metadata(),
  });
}

const server = new grpc.Server();
const routes: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
const impl: grpc.UntypedServiceImplementation = {};
function serve<T extends Method>(m: T, handle: Handler<T>) {
  routes[m.localName] = definition(m.name, m.input, m.output) as grpc.MethodDefinition<unknown, unknown>;
  impl[m.localName] = ((call: grpc.ServerUnaryCall<MessageShape<T["input"]>, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    handle(call.request, call.metadata).then(
      (out) => callback(null, create(m.output, out)),
      (err: unknown) => callback(toStatus(err)),
    );
  }) as grpc.handleUnaryCall<unknown, unknown>;
}

if (args.constant) {
  serve(M.checkAccess, async () => ({ allowed: true }));
} else {
  if (!args.db) throw new Error("--db FILE or --constant");
  const store = openSqliteStore(args.db);
  const clock = systemClock;
  const s = createServices({ store, clock, ids: createIdGenerator(() => clock.now()), changes: createChangeNotifier() });
  const auth = createAuthenticator({ repos: store.read, clock, log: createLogger("silent") });
  const callOf = (md: grpc.Metadata): Promise<CallContext> => {
    const headers = { get: (name: string) => (md.get(name)[0] as string | undefined) ?? null };
    return auth.callContext(headers, randomUUID());
  };

  serve(M.checkAccess, async (req, md) => {
    const p = principalFromOneof(req.subject);
    const subject = p.type ? { type: p.type, id: p.id } : null;
    const r = await s.access.check(await callOf(md), { projectId: req.projectId, subject, permission: req.permission });
    return { allowed: r.allowed, roles: r.roles.map((e) => ({ role: e.role, expireTime: ts(e.expiresAt), permissions: e.permissions })) };
  });
  serve(M.listMemberships, async (req, md) => {
    const { projectId, pageSize, pageToken } = req;
    const page = await s.memberships.listMemberships(await callOf(md), { projectId, pageSize, pageToken, filter: filterFromProto(req.filter) });
    return { memberships: page.items.map(membershipToProto), nextPageToken: page.nextPageToken };
  });
  serve(M.addProjectMember, async (req, md) => {
    const { projectId, userId } = req;
    const input = userRoleInput(req.roles, req.roleAssignments);
    const call = await callOf(md);
    const w = await withRoleInput(input, (roles) => s.memberships.addProjectMember(call, { projectId, userId, roles }));
    return { details: detailsToProto(detailsOf(w, "created")) };
  });
  serve(M.updateIdentityMembership, async (req, md) => {
    const { projectId, identityId } = req;
    const roles = roleRequestsFromProto("roles", req.roles);
    const w = await s.memberships.updateIdentityMembership(await callOf(md), { projectId, identityId, roles });
    return { roles: w.membership!.roles.map(membershipRoleToProto) };
  });
  process.once("exit", () => store.close());
}

server.addService(routes as grpc.ServiceDefinition, impl);
server.bindAsync(`127.0.0.1:${args.port}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  process.stdout.write(`grpc-js reference listening on http://127.0.0.1:${port}\n`);
});
process.once("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
