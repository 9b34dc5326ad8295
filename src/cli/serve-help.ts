// What `membership-server serve --help` says about each option of config.ts's
// OPTIONS table (a test checks that every option has its line here).
export const SERVE_HELP: Record<string, { value: string; help: string }> = {
  host: { value: "<address>", help: "address to listen on (127.0.0.1; 0.0.0.0 in a container)" },
  port: { value: "<port>", help: "port to listen on, 0 for any free one (8080)" },
  db: { value: "<file>", help: "the SQLite database, :memory: for a throwaway run (./data/membership.db)" },
  "tls-cert": { value: "<file>", help: "PEM certificate; with --tls-key, serve TLS with ALPN h2 and http/1.1" },
  "tls-key": { value: "<file>", help: "PEM private key of --tls-cert" },
  "cors-origins": { value: "<list>", help: "comma-separated origins browsers may call from, or * (none)" },
  "read-max-bytes": { value: "<n>", help: "largest request message (4194304)" },
  "token-file": { value: "<file>", help: "where the first start writes the administrator's token (<db>.admin-token)" },
  "log-level": { value: "<level>", help: "debug, info, warn, error or silent (info)" },
  "shutdown-grace-ms": { value: "<ms>", help: "how long calls may finish after SIGTERM (10000)" },
  "headers-timeout-ms": { value: "<ms>", help: "request headers, TLS handshake, first HTTP/2 request (10000)" },
  "body-timeout-ms": { value: "<ms>", help: "an HTTP/1.1 body that sends nothing this long is dropped; 0 for none (30000)" },
  "request-timeout-ms": { value: "<ms>", help: "a whole HTTP/1.1 request; 0 for none (300000)" },
  "idle-timeout-ms": { value: "<ms>", help: "idle keep-alive and HTTP/2 connections (60000)" },
  "fast-path": { value: "on|off", help: "serve unary calls on the raw request (on)" },
  // Options main gained beside this branch (external JWTs, the failed-authentication budget).
  "jwt-providers": { value: "<file>", help: "a JSON file of external identity providers whose JWTs sign users in (none)" },
  "auth-fail-budget": { value: "<n>", help: "failed authentications per client address and window; 0 for no limit (20)" },
  "auth-fail-window-ms": { value: "<ms>", help: "the window of --auth-fail-budget (60000)" },
};
