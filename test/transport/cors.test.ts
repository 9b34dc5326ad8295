import { describe, expect, it } from "vitest";
import { applyCors, type CorsOptions } from "../../src/edge/cors.ts";
import { startListener } from "../../src/edge/listener.ts";
import { closeAfterEach, h1Request } from "./helpers.ts";

const app = "https://app.example.com";
const closeLater = closeAfterEach();

async function start(opts: CorsOptions) {
  const listener = await startListener({
    host: "127.0.0.1",
    port: 0,
    handler: (req, res) => {
      if (!applyCors(opts, req, res)) res.end("passed on");
    },
  });
  return closeLater(listener);
}

const preflight = (origin: string) => ({
  method: "OPTIONS",
  headers: {
    origin,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization,x-zitadel-orgid,content-type",
  },
});

const list = (v: unknown) => String(v).toLowerCase().split(/,\s*/);

describe("applyCors", () => {
  it("answers a preflight from an allowed origin", async () => {
    const l = await start({ allowedOrigins: [app] });
    const res = await h1Request(l.url, preflight(app));
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe(app);
    expect(res.headers["vary"]).toBe("Origin");
    expect(list(res.headers["access-control-allow-methods"])).toEqual(expect.arrayContaining(["post", "get"]));
    expect(list(res.headers["access-control-allow-headers"])).toEqual(
      expect.arrayContaining(["authorization", "x-zitadel-orgid", "content-type", "connect-protocol-version", "x-grpc-web", "x-user-agent", "x-request-id"]),
    );
    expect(res.headers["access-control-max-age"]).toBe("7200");
  });

  it("exposes the gRPC status headers on actual requests", async () => {
    const l = await start({ allowedOrigins: [app] });
    const res = await h1Request(l.url, { method: "POST", headers: { origin: app } });
    expect(res.body.toString()).toBe("passed on");
    expect(res.headers["access-control-allow-origin"]).toBe(app);
    expect(list(res.headers["access-control-expose-headers"])).toEqual(
      expect.arrayContaining(["grpc-status", "grpc-message", "grpc-status-details-bin", "x-request-id"]),
    );
  });

  it("answers a preflight from a disallowed origin without allow-origin", async () => {
    const l = await start({ allowedOrigins: [app] });
    const res = await h1Request(l.url, preflight("https://evil.example.com"));
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    const actual = await h1Request(l.url, { method: "POST", headers: { origin: "https://evil.example.com" } });
    expect(actual.body.toString()).toBe("passed on");
    expect(actual.headers["access-control-allow-origin"]).toBeUndefined();
    expect(actual.headers["access-control-expose-headers"]).toBeUndefined();
  });

  it("allows any origin with *", async () => {
    const l = await start({ allowedOrigins: ["*"] });
    const res = await h1Request(l.url, preflight("http://localhost:5173"));
    expect(res.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
  });

  it("adds nothing when disabled", async () => {
    const l = await start({ allowedOrigins: [] });
    const res = await h1Request(l.url, preflight(app));
    expect(res.body.toString()).toBe("passed on");
    expect(Object.keys(res.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });
});
