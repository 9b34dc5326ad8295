// Migration 4's data step on PostgreSQL, as on SQLite (store/sqlite/org-slug-backfill.ts):
// every organization that predates slugs gets one derived from its name, in
// creation order, so the oldest keeps the plain one.
import { backfilledSlugs } from "../../organizations/org-slug.ts";
import type { Queryable } from "./pg-sql.ts";

export async function backfillOrgSlugs(q: Queryable): Promise<void> {
  const { rows } = await q.query<{ id: string; name: string }>("SELECT id, name FROM organizations ORDER BY created_at, id");
  for (const { id, slug } of backfilledSlugs(rows)) await q.query("UPDATE organizations SET slug = $1 WHERE id = $2", [slug, id]);
}
