// Migration 4's data step: every organization that predates slugs gets one
// derived from its name, in creation order, so the oldest keeps the plain one.
import type { Database } from "better-sqlite3";
import { backfilledSlugs } from "../../organizations/org-slug.ts";

export function backfillOrgSlugs(db: Database): void {
  const rows = db.prepare("SELECT id, name FROM organizations ORDER BY created_at, id").all() as { id: string; name: string }[];
  const set = db.prepare("UPDATE organizations SET slug = ? WHERE id = ?");
  for (const { id, slug } of backfilledSlugs(rows)) set.run(slug, id);
}
