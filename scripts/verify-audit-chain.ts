// Offline check of the audit trail's hash chain, beside a running server or
// without one: `node scripts/verify-audit-chain.ts <database file>`. Opens
// the file read-only, prints one line, exits 0 when the chain is whole, 1
// when it breaks, 2 when the file cannot be read.
import { verifyChain } from "../src/audit/audit-chain.ts";
import { createChainSource } from "../src/audit/audit-chain-repo.sqlite.ts";
import { openDatabase } from "../src/store/sqlite/open.ts";

const file = process.argv[2];
if (!file || file.startsWith("-")) {
  process.stderr.write("usage: node scripts/verify-audit-chain.ts <database file>\n");
  process.exit(2);
}
let db;
try {
  db = openDatabase(file, { readonly: true });
} catch (err) {
  process.stderr.write(`verify-audit-chain: cannot open ${file}: ${(err as Error).message}\n`);
  process.exit(2);
}
const columns = (db.pragma("table_info(audit_events)") as { name: string }[]).map((c) => c.name);
if (!columns.includes("hash")) {
  process.stderr.write(`verify-audit-chain: ${file} has no hash chain yet; a start of the server adds it\n`);
  process.exit(2);
}
const report = await verifyChain(createChainSource(db));
db.close();
if (report.ok) {
  process.stdout.write(`audit chain ok: ${report.checked} events checked\n`);
} else {
  const broken = report.firstBroken!;
  process.stdout.write(`audit chain broken at sequence ${broken.sequence} (${broken.problem}) after ${report.checked} events checked\n`);
  process.exitCode = 1;
}
