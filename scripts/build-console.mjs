// Bundles the web console (console/src, TypeScript) with esbuild into
// dist/console: one script and one style sheet, their names carrying a
// content hash, and an index.html that names them. The server serves that
// folder at /console/ (src/edge/console-files.ts). Run by `npm install`
// (postinstall), by `npm start` and `npm run build` (scripts/build.mjs), and
// by the browser tests. Plain JavaScript: it runs before anything is compiled.
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the console into `outdir` (dist/console of the working folder unless told) and returns the names of the files written. */
export async function buildConsole(outdir = join("dist", "console")) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { console: join(root, "console", "src", "main.ts"), style: join(root, "console", "src", "style.css") },
    outdir,
    entryNames: "[name]-[hash]",
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    metafile: true,
    logLevel: "warning",
  });
  const out = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const script = out.find((n) => n.endsWith(".js"));
  const style = out.find((n) => n.endsWith(".css"));
  const html = readFileSync(join(root, "console", "index.html"), "utf8")
    .replace("{{script}}", script)
    .replace("{{style}}", style);
  writeFileSync(join(outdir, "index.html"), html);
  return [...out, "index.html"];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildConsole();
