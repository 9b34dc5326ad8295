// The layering rules of src/, read off the import statements: a feature's
// commands and queries stay free of transport, generated code and drivers,
// and a feature reaches another only through its exported functions, never
// its repository. Each rule is also tried on a made-up import, so a rule that
// could never fire would fail here too.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../src");
const FEATURES = ["access", "audit", "membership", "organizations", "principals", "projects", "tokens"];

interface Import {
  from: string;
  /** Repo-relative (src/…, gen/…) for relative specifiers, the bare name otherwise. */
  to: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const from = relative(join(SRC, ".."), file);
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^"';]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => {
    const spec = (m[1] ?? m[2])!;
    return { from, to: spec.startsWith(".") ? normalize(join(dirname(from), spec)) : spec };
  });
}

const featureOf = (path: string) => {
  const m = /^src\/([^/]+)\//.exec(path);
  return m && FEATURES.includes(m[1]!) ? m[1]! : null;
};
const isAdapter = (path: string) => /-(handlers|mappers)\.ts$|\.(sqlite|postgres)\.ts$/.test(path);
const isDomain = (path: string) => (featureOf(path) !== null && !isAdapter(path)) || path.startsWith("src/kernel/");
const isRepository = (path: string) => /\.(sqlite|postgres)\.ts$/.test(path);
const DRIVERS = ["better-sqlite3", "pg"];

/** Every rule a single import can break; an empty list is a clean import. */
function violations(i: Import): string[] {
  const out: string[] = [];
  if (isDomain(i.from)) {
    if (i.to.startsWith("@connectrpc/") || i.to.startsWith("@bufbuild/")) out.push("domain imports the RPC framework");
    if (i.to.startsWith("gen/")) out.push("domain imports generated API code");
    if (DRIVERS.includes(i.to)) out.push("domain imports a database driver");
    if (/^node:(http|http2|net|tls)$/.test(i.to)) out.push("domain imports a network module");
    if (/^src\/(rpc|edge|compat|store)\//.test(i.to) || i.to === "src/routes.ts" || i.to === "src/app.ts") {
      out.push("domain imports the edge, the RPC pipeline, a compatibility layer or the store");
    }
  }
  if (i.from.startsWith("src/kernel/") && featureOf(i.to) !== null) out.push("the kernel imports a feature");
  const fromFeature = featureOf(i.from);
  const toFeature = featureOf(i.to);
  if (toFeature !== null && fromFeature !== toFeature && isRepository(i.to) && !i.from.startsWith("src/store/")) {
    out.push("a feature reaches into another feature's repository");
  }
  if (DRIVERS.includes(i.to) && !isRepository(i.from) && !i.from.startsWith("src/store/")) {
    out.push("the driver is imported outside a repository or the store");
  }
  if (i.to.startsWith("src/compat/") && !i.from.startsWith("src/compat/") && i.from !== "src/routes.ts") {
    out.push("native code imports a compatibility layer");
  }
  return out;
}

describe("layering of src/", () => {
  const imports = filesUnder(SRC).flatMap(importsOf);

  it("reads the imports of every file", () => {
    expect(imports.length).toBeGreaterThan(200);
    expect(imports.some((i) => i.from === "src/membership/membership-handlers.ts" && i.to.startsWith("gen/"))).toBe(true);
  });

  it("keeps every import within the rules", () => {
    const broken = imports.flatMap((i) => violations(i).map((v) => `${i.from} → ${i.to}: ${v}`));
    expect(broken).toEqual([]);
  });

  it.each([
    ["src/membership/membership-commands.ts", "@connectrpc/connect", "RPC framework"],
    ["src/membership/membership-commands.ts", "gen/membership/v1/membership_pb.js", "generated"],
    ["src/projects/project-service.ts", "better-sqlite3", "driver"],
    ["src/kernel/errors.ts", "src/rpc/error-mapper.ts", "the edge"],
    ["src/kernel/store.ts", "src/membership/membership-commands.ts", "kernel imports a feature"],
    ["src/membership/membership-commands.ts", "src/principals/principal-repo.sqlite.ts", "another feature's repository"],
    ["src/edge/fast-path.ts", "better-sqlite3", "outside a repository"],
    ["src/projects/project-service.ts", "pg", "driver"],
    ["src/app.ts", "pg", "outside a repository"],
    ["src/membership/membership-commands.ts", "src/principals/principal-repo.postgres.ts", "another feature's repository"],
    ["src/membership/membership-repo.postgres.ts", "src/principals/principal-repo.postgres.ts", "another feature's repository"],
    ["src/rpc/route-call.ts", "src/compat/zitadel/zitadel-errors.ts", "compatibility layer"],
  ])("flags %s importing %s", (from, to, rule) => {
    expect(violations({ from, to }).join("; ")).toContain(rule);
  });

  it.each([
    ["src/membership/membership-handlers.ts", "gen/membership/v1/membership_pb.js"],
    ["src/membership/membership-repo.sqlite.ts", "better-sqlite3"],
    ["src/store/sqlite/sqlite-store.ts", "src/principals/principal-repo.sqlite.ts"],
    ["src/store/postgres/postgres-store.ts", "src/principals/principal-repo.postgres.ts"],
    ["src/audit/audit-repo.postgres.ts", "src/audit/audit-chain-repo.postgres.ts"],
    ["src/store/postgres/pg-pool.ts", "pg"],
    ["src/membership/membership-commands.ts", "src/access/authorize.ts"],
    ["src/routes.ts", "src/compat/zitadel/management-handlers.ts"],
  ])("allows %s importing %s", (from, to) => {
    expect(violations({ from, to })).toEqual([]);
  });
});
