// Bundles the server into one ES module, dist/membership-server.mjs, which
// `npm start` runs. One file instead of some two hundred modules to resolve,
// read and strip of types halves the time to the first answered call
// (BENCHMARKS.md). better-sqlite3 stays outside: it loads a native addon.
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/membership-server.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  external: ["better-sqlite3"],
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: "linked",
  logLevel: "warning",
});
