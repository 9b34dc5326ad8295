import Database from "better-sqlite3";
import { migrate } from "../src/storage/sqlite/migrations.ts";
const db = new Database(":memory:"); migrate(db);
const time = (name: string, f: () => unknown) => { for (let i = 0; i < 2000; i++) f(); const t = performance.now(); for (let i = 0; i < 20000; i++) f(); console.log(name.padEnd(40), ((performance.now() - t) / 20000 * 1000).toFixed(2), "µs"); };
const s = db.prepare(`SELECT m.*, u.email FROM memberships m LEFT JOIN users u ON u.id = m.principal_id WHERE m.project_id = ? AND m.principal_type = ? AND m.principal_id = ?`);
time("join", () => s.get("a", "user", "b"));
const q0 = db.prepare("SELECT role FROM org_members WHERE organization_id = ? AND principal_type = ? AND principal_id = ? ORDER BY role").pluck();
time("order by", () => q0.all("a", "user", "b"));
