// Fuzzes the server over the wire with a larger budget than npm test runs
// (test/security/wire-fuzz.test.ts): every protocol of the matrix, against a
// server process with the fast path on and one with it off.
//   node scripts/fuzz-wire.ts [--runs 500] [--seed N] [--protocol grpc-web] [--fast-path on|off|both]
// --runs is per protocol and server. Prints one line per protocol with the
// outcomes seen, then every case that broke a property (with the call, to
// replay it); exits 1 if there was any.
import { parseArgs } from "node:util";
import { startFuzzTarget } from "../test/security/fuzz-target.ts";
import { fuzzProtocol, type ProtocolReport } from "../test/security/wire-fuzz.ts";
import { WIRE_PROTOCOLS } from "../test/security/wire-protocols.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "500" },
    seed: { type: "string" },
    protocol: { type: "string", default: "" },
    "fast-path": { type: "string", default: "both" },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const modes = values["fast-path"] === "both" ? [true, false] : [values["fast-path"] === "on"];
const protocols = WIRE_PROTOCOLS.filter((p) => p.name.includes(values.protocol));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || protocols.length === 0 || !["on", "off", "both"].includes(values["fast-path"])) {
  process.stderr.write("usage: node scripts/fuzz-wire.ts [--runs N ≥ 1] [--seed integer] [--protocol name part] [--fast-path on|off|both]\n");
  process.exit(2);
}

process.stdout.write(`seed ${seed}, ${runs} cases per protocol and server\n`);
const reports: ProtocolReport[] = [];
for (const fastPath of modes) {
  const target = await startFuzzTarget(fastPath);
  try {
    for (const p of protocols) {
      const r = await fuzzProtocol(target, p, runs, seed);
      reports.push(r);
      const outcomes = Object.entries(r.outcomes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ");
      process.stdout.write(`${p.name.padEnd(24)} fast path ${fastPath ? "on " : "off"}: ${r.cases} cases, ${r.failures.length} failed (${outcomes})\n`);
      if (target.exitCode() !== undefined) break;
    }
  } finally {
    const code = await target.close();
    if (code !== 0) process.stdout.write(`the server (fast path ${fastPath ? "on" : "off"}) stopped with exit code ${code}\n`);
  }
}

const failures = reports.flatMap((r) => r.failures.map((f) => ({ ...f, protocol: r.protocol, fastPath: r.fastPath })));
for (const f of failures) {
  process.stdout.write(`\n${f.protocol}, fast path ${f.fastPath ? "on" : "off"}, case ${f.index}:\n  ${f.violations.join("\n  ")}\n  ${f.call}\n`);
}
const total = reports.reduce((n, r) => n + r.cases, 0);
process.stdout.write(`\n${total} cases, ${failures.length} failed\n`);
process.exitCode = failures.length ? 1 : 0;
