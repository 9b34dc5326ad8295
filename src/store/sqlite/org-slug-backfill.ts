// Migration 4's data step: every organization that predates slugs gets one
// derived from its name, in creation order, so the oldest keeps the plain one.
import type { Database } from "better-sqlite3";
import { slugCandidate, slugFromName } from "../../organizations/org-slug.ts";

export function backfillOrgSlugs(db: Database): void {
  const rows = db.prepare("SELECT id, name FROM organizations ORDER BY created_at, id").all() as { id: string; name: string }[];
  const set = db.prepare("UPDATE organizations SET slug = ? WHERE id = ?");
  const used = new Set<string>();
  for (const r of rows) {
    const base = slugFromName(r.name);
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = slugCandidate(base, n);
    used.add(slug);
    set.run(slug, r.id);
  }
}
