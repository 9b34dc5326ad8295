// An organization's slug: the short, unique name an API addresses it by
// (Canopy's accounts are organizations, /portal/v1/accounts/{accountSlug}).
// Given on create it is checked and must be free; left out, one is derived
// from the name and made free with a numeric suffix.
import { alreadyExists } from "../kernel/errors.ts";
import { requireSlug } from "../kernel/validate.ts";

const MAX = 64;

/** "Acme Corp." → "acme-corp"; a name with no letter or digit in ASCII gives "org". */
export function slugFromName(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // the accents NFKD took off their letters
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX)
    .replace(/^-+|-+$/g, "");
  return base === "" ? "org" : base;
}

/** The n-th slug to try for `base`: `base` itself, then `base-2`, `base-3`…, each at most 64 characters. */
export function slugCandidate(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  return base.slice(0, MAX - suffix.length).replace(/-+$/, "") + suffix;
}

/**
 * Slugs for organizations that predate them (migration 4 on either store):
 * each derived from its name, given in creation order, so the oldest keeps
 * the plain one and later ones take the next free suffix.
 */
export function backfilledSlugs(oldestFirst: readonly { id: string; name: string }[]): { id: string; slug: string }[] {
  const used = new Set<string>();
  return oldestFirst.map(({ id, name }) => {
    const base = slugFromName(name);
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = slugCandidate(base, n);
    used.add(slug);
    return { id, slug };
  });
}

/** The first candidate for `base` that `taken` says is free. */
export async function freeSlug(base: string, taken: (slug: string) => Promise<boolean> | boolean): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = slugCandidate(base, n);
    if (!(await taken(candidate))) return candidate;
  }
}

/** The slug a new organization gets: the one asked for, which must be valid and free, or one derived from its name. */
export async function chooseSlug(asked: string, name: string, taken: (slug: string) => Promise<boolean> | boolean): Promise<string> {
  if (asked === "") return freeSlug(slugFromName(name), taken);
  const slug = requireSlug("slug", asked);
  if (await taken(slug)) throw alreadyExists("organization.slug_taken", `slug ${slug} is already used by another organization`);
  return slug;
}
