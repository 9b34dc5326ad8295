// Unary calls as plain HTTP/1.1 JSON POSTs, the way curl or a browser's fetch
// speaks the Connect protocol, with no Connect client code on the wire path.
import { fromJson, toJsonString, type DescMessage } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextValues, type Interceptor, type Transport, type UnaryRequest, type UnaryResponse } from "@connectrpc/connect";
import { runUnaryCall } from "@connectrpc/connect/protocol";
import { codeFromString } from "@connectrpc/connect/protocol-connect";
import * as http from "node:http";

export interface RawPostResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One POST on a fresh connection; the body is sent as given. */
export function rawPost(url: string, path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<RawPostResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + path, { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The Connect error JSON of a non-200 answer; anything else becomes Unknown with the HTTP status. */
export function connectErrorFromBody(status: number, body: string): ConnectError {
  try {
    const json = JSON.parse(body) as { code?: unknown; message?: unknown };
    const code = typeof json.code === "string" ? codeFromString(json.code) : undefined;
    if (code !== undefined) return new ConnectError(typeof json.message === "string" ? json.message : "", code);
  } catch {
    // not JSON: fall through
  }
  return new ConnectError(`HTTP ${status}: ${body.slice(0, 200)}`, Code.Unknown);
}

export type UnaryFn = <I extends DescMessage, O extends DescMessage>(req: UnaryRequest<I, O>) => Promise<UnaryResponse<I, O>>;

/** Transport.unary over `next`, with Connect's own signal, timeout, interceptors and message normalization around it. */
export function unaryVia(baseUrl: string, next: UnaryFn, interceptors: Interceptor[] = []): Transport["unary"] {
  return (method, signal, timeoutMs, header, input, contextValues) =>
    runUnaryCall({
      interceptors,
      signal,
      timeoutMs,
      req: {
        stream: false,
        service: method.parent,
        method,
        requestMethod: "POST",
        url: `${baseUrl}/${method.parent.typeName}/${method.name}`,
        header: new Headers(header),
        contextValues: contextValues ?? createContextValues(),
        message: input,
      },
      next,
    });
}

export function unaryOnly(name: string): Transport["stream"] {
  return () => Promise.reject(new ConnectError(`${name}: unary calls only`, Code.Unimplemented));
}

export function createRawJsonTransport(baseUrl: string, opts: { interceptors?: Interceptor[] } = {}): Transport {
  return {
    unary: unaryVia(baseUrl, async (req) => {
      const { method } = req;
      const headers: Record<string, string> = { "content-type": "application/json" };
      req.header.forEach((v, k) => (headers[k] = v));
      const res = await rawPost(baseUrl, `/${method.parent.typeName}/${method.name}`, toJsonString(method.input, req.message), headers);
      if (res.status !== 200) throw connectErrorFromBody(res.status, res.body);
      const message = fromJson(method.output, JSON.parse(res.body), { ignoreUnknownFields: true });
      return { stream: false, service: method.parent, method, header: toHeaders(res.headers), trailer: new Headers(), message };
    }, opts.interceptors),
    stream: unaryOnly("raw JSON transport"),
  };
}

/** Node's response headers as a Headers object. */
export function toHeaders(h: http.IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
  }
  return out;
}
