// The server process: config → open store → migrate → start; signals → stop.
import { startServer } from "./app.ts";
import { loadConfig, type Config } from "./config.ts";
import { createStdoutLogger, describeError } from "./logger.ts";
import { StoreNotWritableError } from "./store/sqlite/disk-errors.ts";

let config: Config;
try {
  config = loadConfig(process.argv.slice(2), process.env);
} catch (err) {
  process.stderr.write(`membership-server: ${(err as Error).message}\n`);
  process.exit(2);
}
const log = await createStdoutLogger(config.logLevel);
log.debug("modules loaded", { ms: Math.round(performance.now()) });
const server = await startServer(config, { logger: log }).catch((err: unknown) => {
  // A database the server cannot write is the operator's to fix: one line, no stack.
  if (err instanceof StoreNotWritableError) {
    process.stderr.write(`membership-server: ${err.message}\n`);
    process.exit(1);
  }
  log.error("failed to start", describeError(err));
  process.exit(1);
});
if (server.tokenFile) {
  log.announce(`Bootstrap token of the instance administrator written to ${server.tokenFile}`, { tokenFile: server.tokenFile });
}
log.announce(`membership server listening on ${server.url}`, { url: server.url });

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info("stopping", { signal });
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error("failed to stop cleanly", describeError(err));
        process.exit(1);
      },
    );
  });
}
