// Plain HTTP clients for the REST paths, none of them ours: fetch (undici,
// HTTP/1.1), a request written by hand on a TCP socket (HTTP/1.1), and
// node:http2 (h2c with prior knowledge). Each answers status, headers and
// the parsed JSON body, so one story can run over all three.
import * as http2 from "node:http2";
import * as net from "node:net";
import { zitadelErrorOf } from "./zitadel-client.ts";

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  /** The body parsed as JSON; undefined when it is empty. */
  json: any;
}

export interface RestRequest {
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
}

export type RestCall = (method: string, path: string, req?: RestRequest) => Promise<RestResponse>;

export interface RestClient {
  name: string;
  make(baseUrl: string): RestCall;
}

const bodyText = (body: unknown) => (body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
const parse = (text: string) => (text === "" ? undefined : JSON.parse(text));

const viaFetch = (baseUrl: string): RestCall => async (method, path, req = {}) => {
  const res = await fetch(baseUrl + path, { method, headers: req.headers, body: bodyText(req.body) });
  return { status: res.status, headers: Object.fromEntries(res.headers), json: parse(await res.text()) };
};

/** One request on a fresh socket, written byte for byte; the server's Content-Length bounds the answer. */
const viaSocket = (baseUrl: string): RestCall => (method, path, req = {}) => {
  const { hostname, port } = new URL(baseUrl);
  const body = Buffer.from(bodyText(req.body) ?? "");
  const head = [`${method} ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, "Connection: close", `Content-Length: ${body.length}`];
  for (const [k, v] of Object.entries(req.headers ?? {})) head.push(`${k}: ${v}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("end", () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf("\r\n\r\n");
      const [statusLine, ...lines] = raw.subarray(0, split).toString("latin1").split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      const rest = raw.subarray(split + 4);
      if (headers["transfer-encoding"] !== undefined) return reject(new Error("expected a Content-Length answer"));
      resolve({ status: Number(statusLine!.split(" ")[1]), headers, json: parse(rest.subarray(0, Number(headers["content-length"])).toString("utf8")) });
    });
    socket.end(Buffer.concat([Buffer.from(head.join("\r\n") + "\r\n\r\n", "latin1"), body]));
  });
};

const viaHttp2 = (baseUrl: string): RestCall => (method, path, req = {}) =>
  new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const stream = session.request({ ":method": method, ":path": path, ...req.headers });
    const chunks: Buffer[] = [];
    let headers: Record<string, string> = {};
    stream.on("response", (h) => (headers = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]))));
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("end", () => {
      session.close();
      resolve({ status: Number(headers[":status"]), headers, json: parse(Buffer.concat(chunks).toString("utf8")) });
    });
    stream.end(bodyText(req.body));
  });

export const REST_CLIENTS: RestClient[] = [
  { name: "fetch (HTTP/1.1)", make: viaFetch },
  { name: "raw socket (HTTP/1.1)", make: viaSocket },
  { name: "node:http2 (h2c)", make: viaHttp2 },
];

/** Headers of a JSON call as a bearer, optionally in an organization. */
export const bearer = (token: string, orgId?: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  "content-type": "application/json",
  ...(orgId === undefined ? {} : { "x-zitadel-orgid": orgId }),
});

/**
 * What a failing gRPC call says, as a REST error body must say it:
 * grpc-gateway's {code, message, details}, with a zitadel.v1.ErrorDetail
 * written as the Any ZITADEL's gateway writes.
 */
export async function restBodyOfGrpcError(call: Promise<unknown>) {
  const { code, message, detail } = await zitadelErrorOf(call);
  return { code, message, details: detail ? [{ "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", ...detail }] : [] };
}
