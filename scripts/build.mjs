// Bundles the CLI and the server into one ES module, dist/cli.mjs, started
// through dist/membership-server.mjs, which bin/membership-server.mjs (the
// `membership-server` command, and `npm start`) runs. One file instead of
// some two hundred modules to resolve, read and strip of types, and Node's
// compile cache turned on before it loads, more than halve the time to the
// first answered call (BENCHMARKS.md). better-sqlite3 stays outside: it
// loads a native addon; so does pino-pretty, which only a terminal needs.
// The web console is built alongside (scripts/build-console.mjs).
import { build } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";
import { buildConsole } from "./build-console.mjs";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  // pino-pretty is only loaded on a terminal (src/logger.ts): left outside, it costs no start-up elsewhere.
  external: ["better-sqlite3", "pino-pretty"],
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Written beside the bundle, not loaded by default: parsing it costs about 50 ms of start-up.
  // NODE_OPTIONS=--enable-source-maps maps stack traces back to src/.
  sourcemap: "linked",
  logLevel: "warning",
});
// The compile cache must be on before the bundle is compiled, so the entry is a separate module.
writeFileSync(
  "dist/membership-server.mjs",
  `import { enableCompileCache } from "node:module";\nenableCompileCache?.();\nawait import("./cli.mjs");\n`,
);
await buildConsole();
