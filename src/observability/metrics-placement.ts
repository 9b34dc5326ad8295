// Where GET /metrics is served: on the API's port (the default), nowhere, or
// on a port of its own, so that the API's port need not be reachable by the
// scraper nor the metrics by the API's clients.
export type MetricsPlacement = "main" | "off" | { host: string; port: number };

/** "on" | "off" | "host:port" (an IPv6 host in brackets: "[::1]:9464"); throws naming `flag` otherwise. */
export function parseMetricsPlacement(value: string, flag = "--metrics"): MetricsPlacement {
  if (value === "on") return "main";
  if (value === "off") return "off";
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):([0-9]{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new Error(`${flag} must be on, off or host:port (such as 127.0.0.1:9464)`);
  return { host: m[1] ?? m[2]!, port };
}
