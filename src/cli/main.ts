// Entry of the `membership-server` command (bundled as dist/cli.mjs).
import { runCli } from "./run-cli.ts";

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
// `serve` returns once listening and the server keeps the process alive; setting the code leaves that be.
if (code !== undefined) process.exitCode = code;
