// `serve`: the server. Its options are config.ts's OPTIONS, described in
// serve-help.ts; the server itself starts in src/serve.ts.
import { OPTIONS, configFrom } from "../config.ts";
import { CONFIG, type Command, type CommandOption } from "./command.ts";
import { UsageError } from "./options.ts";
import { SERVE_HELP } from "./serve-help.ts";

const options: Record<string, CommandOption> = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, o]) => [name, { ...o, value: SERVE_HELP[name]?.value ?? "<value>", help: SERVE_HELP[name]?.help ?? "" }]),
);

export const serveCommand: Command = {
  name: "serve",
  summary: "run the server (the command run when none is named)",
  details:
    "It serves gRPC, gRPC-web and Connect on one port, creates and migrates the database if needed, and\n" +
    "on the first start against an empty database bootstraps an instance administrator whose token it\n" +
    "writes to the token file. SIGTERM or SIGINT stops it gracefully.",
  options: { ...options, config: CONFIG },
  async run(opts) {
    let config;
    try {
      config = configFrom(opts);
    } catch (err) {
      // Whatever a check of a serve option throws is about a value the user set.
      throw err instanceof UsageError ? err : new UsageError((err as Error).message);
    }
    const { serve } = await import("../serve.ts");
    await serve(config);
  },
};
