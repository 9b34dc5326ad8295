// GET /metrics: the Prometheus text exposition, on the API's listener or on
// a plain HTTP server of its own that answers nothing else.
import { createServer, type ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.ts";
import type { Metrics } from "./metrics.ts";

/** Answers a plain GET on either HTTP version. */
export type PageHandler = (res: ServerResponse | Http2ServerResponse) => void;

export function answerMetrics(metrics: Metrics, log: Logger): PageHandler {
  return (res) => {
    metrics.scrape().then(
      ({ contentType, body }) => {
        res.statusCode = 200;
        res.setHeader("content-type", contentType);
        res.setHeader("cache-control", "no-store");
        res.end(body);
      },
      (err: unknown) => {
        log.error("metrics scrape failed", { error: (err as Error).message });
        res.statusCode = 500;
        res.end();
      },
    );
  };
}

export interface MetricsListener {
  /** http://host:port/metrics */
  readonly url: string;
  close(): Promise<void>;
}

export async function listenForMetrics(host: string, port: number, metrics: Metrics, log: Logger): Promise<MetricsListener> {
  const answer = answerMetrics(metrics, log);
  const server = createServer((req, res) => {
    if (req.method === "GET" && (req.url ?? "").split("?", 1)[0] === "/metrics") return answer(res);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper's keep-alive connection must not hold the stop.
        server.closeAllConnections();
      }),
  };
}
