// Which statement shapes SQLite re-prepares on every run, and what a unary
// plus on the parameter changes. Not part of the test run:
//   node bench/sqlite-reprepare.ts
// An in-memory database with the real schema, one project of 500 memberships;
// every statement returns the same rows with `?` and with `+?`. µs of CPU per
// run, best of three rounds of 5 000.
import Database from "better-sqlite3";
import { migrate } from "../src/store/sqlite/migrations.ts";

const db = new Database(":memory:");
migrate(db);
db.exec(`
  INSERT INTO organizations (id, name, slug, created_at) VALUES ('o', 'o', 'o', 1);
  INSERT INTO projects VALUES ('p', 'o', 'p', '', 1);
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 499)
  INSERT INTO users SELECT 'u' || i, 'o', 'u' || i || '@x.test', 'u' || i || '@x.test', 'U', 'U', 0, 1 FROM n;
  INSERT INTO memberships (id, project_id, organization_id, principal_type, principal_id, status, created_at, updated_at)
    SELECT 'm' || printf('%04d', substr(id, 2)), 'p', 'o', 'user', id, 'active', 1, 1 FROM users;`);

const cpu = () => process.cpuUsage().user + process.cpuUsage().system;
function time(run: () => unknown): number {
  for (let i = 0; i < 500; i++) run();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = cpu();
    for (let i = 0; i < 5000; i++) run();
    best = Math.min(best, (cpu() - started) / 5000);
  }
  return best;
}

const join = "SELECT m.*, u.email FROM memberships m LEFT JOIN users u ON m.principal_type = 'user' AND u.id = m.principal_id";
const shapes: [name: string, sql: string, args: unknown[]][] = [
  ["point lookup, single table", "SELECT * FROM memberships WHERE project_id = ? AND principal_type = ? AND principal_id = ?", ["p", "user", "u7"]],
  ["the same with LEFT JOIN users", `${join} WHERE m.project_id = ? AND m.principal_type = ? AND m.principal_id = ?`, ["p", "user", "u7"]],
  ["first row by ORDER BY id (index order)", "SELECT * FROM memberships WHERE project_id = ? ORDER BY id LIMIT 1", ["p"]],
  ["page of 51, LIMIT ?", "SELECT * FROM memberships WHERE project_id = ? AND id > ? LIMIT ?", ["p", "m0100", 51]],
  ["page of 51 with ORDER BY, LIMIT ?", "SELECT * FROM memberships WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?", ["p", "m0100", 51]],
];
console.log("statement".padEnd(42), "  with ?  with +?");
for (const [name, sql, args] of shapes) {
  const plain = db.prepare(sql);
  const plus = db.prepare(sql.replace(/\?/g, "+?"));
  if (JSON.stringify(plain.all(...args)) !== JSON.stringify(plus.all(...args))) throw new Error(`${name}: different rows`);
  console.log(name.padEnd(42), time(() => plain.all(...args)).toFixed(1).padStart(8), time(() => plus.all(...args)).toFixed(1).padStart(8));
}
