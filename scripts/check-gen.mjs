// Fails when gen/ is stale against proto/ or when buf lint fails: generates
// into a temporary folder and compares file by file with the committed gen/.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const run = (...args) => execFileSync("buf", args, { stdio: "inherit" });

function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

run("lint");
const tmp = mkdtempSync(join(tmpdir(), "gen-check-"));
try {
  run("generate", "--output", tmp);
  const fresh = join(tmp, "gen");
  const want = files(fresh);
  const have = files("gen");
  const stale = [
    ...want.filter((f) => !have.includes(f)).map((f) => `missing: gen/${f}`),
    ...have.filter((f) => !want.includes(f)).map((f) => `extra: gen/${f}`),
    ...want
      .filter((f) => have.includes(f))
      .filter((f) => !readFileSync(join(fresh, f)).equals(readFileSync(join("gen", f))))
      .map((f) => `differs: gen/${f}`),
  ];
  if (stale.length > 0) {
    console.error(`gen/ is stale against proto/; run "npm run generate" and commit:\n  ${stale.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`gen/ is up to date (${want.length} files)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
