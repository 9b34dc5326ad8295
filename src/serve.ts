// The server process: start with the resolved Config; signals → stop.
import { startServer } from "./app.ts";
import { listenFailure } from "./cli/listen-failure.ts";
import type { Config } from "./config.ts";
import { createStdoutLogger, describeError } from "./logger.ts";
import { StoreOpenError } from "./store/db-connection.ts";
import { StoreNotWritableError } from "./store/sqlite/disk-errors.ts";

/** Starts the server and stops it on SIGTERM or SIGINT. A start that fails ends the process with code 1. */
export async function serve(config: Config): Promise<void> {
  const log = await createStdoutLogger(config.logLevel);
  log.debug("modules loaded", { ms: Math.round(performance.now()) });
  const server = await startServer(config, { logger: log }).catch((err: unknown) => {
    // A database the server cannot write, a port in use: the operator's to fix, in one line.
    const reason = err instanceof StoreNotWritableError || err instanceof StoreOpenError ? err.message : listenFailure(err, config.host, config.port);
    if (reason) process.stderr.write(`membership-server: ${reason}\n`);
    else log.error("failed to start", describeError(err));
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
}
