// A page of another origin, bundled by test/browser/cross-origin.test.ts:
// it calls the server with Google's grpc-web runtime in its default text
// mode (application/grpc-web-text), whose code generator cannot be installed
// here, so its MethodDescriptors are declared by hand with protobuf-es
// toBinary/fromBinary as the serializers; and once with plain fetch (the
// Connect protocol's JSON). It reads the API's address and the token from
// its fragment (#<api url> <token>) and leaves what happened in window.results.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { GrpcWebClientBase, MethodDescriptor, MethodType, type RpcError } from "grpc-web";
import {
  GetProjectRequestSchema,
  GetProjectResponseSchema,
  ListProjectsRequestSchema,
  ListProjectsResponseSchema,
  type GetProjectRequest,
  type GetProjectResponse,
  type ListProjectsRequest,
  type ListProjectsResponse,
} from "../../../gen/membership/v1/project_pb.js";

// The runtime never constructs these: generated code would pass message classes.
const noClass = Object as unknown as new () => never;

const listProjects = new MethodDescriptor<ListProjectsRequest, ListProjectsResponse>(
  "/membership.v1.ProjectService/ListProjects",
  MethodType.UNARY,
  noClass,
  noClass,
  (req) => toBinary(ListProjectsRequestSchema, req),
  (bytes) => fromBinary(ListProjectsResponseSchema, bytes),
);

const getProject = new MethodDescriptor<GetProjectRequest, GetProjectResponse>(
  "/membership.v1.ProjectService/GetProject",
  MethodType.UNARY,
  noClass,
  noClass,
  (req) => toBinary(GetProjectRequestSchema, req),
  (bytes) => fromBinary(GetProjectResponseSchema, bytes),
);

type Outcome = { ok: true; value: unknown } | { ok: false; code: number | string; message: string };

async function run(): Promise<Record<string, Outcome>> {
  const [api, token] = decodeURIComponent(location.hash.slice(1)).split(" ");
  const metadata = { authorization: `Bearer ${token}` };
  // No format given: the runtime's default, "text".
  const client = new GrpcWebClientBase({});
  const call = <I, O>(method: MethodDescriptor<I, O>, req: I): Promise<Outcome> =>
    client.unaryCall(`${api}${method.getName()}`, req, metadata, method).then(
      (value) => ({ ok: true, value }),
      (err: RpcError) => ({ ok: false, code: err.code, message: err.message }),
    );
  const list = await call(listProjects, create(ListProjectsRequestSchema, {}));
  const missing = await call(getProject, create(GetProjectRequestSchema, { projectId: "404" }));
  const fetched = await fetch(`${api}/membership.v1.ProjectService/ListProjects`, {
    method: "POST",
    headers: { "content-type": "application/json", ...metadata },
    body: "{}",
  }).then(
    async (r): Promise<Outcome> => ({ ok: true, value: await r.json() }),
    (err: Error): Promise<Outcome> => Promise.resolve({ ok: false, code: err.name, message: err.message }),
  );
  return {
    list: list.ok ? { ok: true, value: (list.value as ListProjectsResponse).projects.map((p) => p.name) } : list,
    missing,
    fetched,
  };
}

const w = window as unknown as { results?: Record<string, Outcome> };
void run().then((r) => (w.results = r));
