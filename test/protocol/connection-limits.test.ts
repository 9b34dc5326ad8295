// The listener's limits as the real server applies them from its config:
// a stalled request body and a half-sent head are closed, quietly.
import * as net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { sleep, until } from "../transport/helpers.ts";

let ts: TestServer | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

function openSocket(url: string, data: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname, () => socket.write(data));
  let closed = false;
  socket.resume();
  socket.on("error", () => {});
  socket.on("close", () => (closed = true));
  return () => closed;
}

describe("connection limits from the config", () => {
  it("closes stalled request bodies and half-sent heads, with nothing logged as an error", async () => {
    ts = await startTestServer({ headersTimeoutMs: 300, bodyTimeoutMs: 300 });
    const stalled = Array.from({ length: 10 }, () =>
      openSocket(
        ts!.url,
        "POST /membership.v1.ProjectService/ListProjects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
          `Authorization: Bearer ${ts!.adminToken}\r\nContent-Length: 50\r\n\r\n{"pageS`,
      ),
    );
    const halfHeads = Array.from({ length: 10 }, () => openSocket(ts!.url, "POST /membership.v1.ProjectService/ListProjects HTTP/1.1\r\nHo"));
    await until(() => [...stalled, ...halfHeads].every((closed) => closed()), 8000);
    await sleep(200); // what the server does after closing them has happened
    expect(ts.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
