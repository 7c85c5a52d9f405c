/**
 * Routing-table compression for key/mask routers with first-match semantics (docs/semantics.md §6).
 * Input entries are disjoint cubes (no key matches two of them), each with a route id. Two stages,
 * each stopping as soon as the table fits:
 *  1. exact pair merging: two entries with the same route and mask whose keys differ in one
 *     masked bit become one entry without that bit — the union is exactly the two, so order never
 *     matters and the table stays disjoint;
 *  2. ordered covering: a group of same-route entries becomes one covering entry (the bits they
 *     all agree on) placed AFTER every exact entry; coverings are kept mutually disjoint, so a key
 *     of an exact entry still hits it first, and a key of a covered entry hits only its covering.
 * Keys that never occur (outside every original entry) may be routed anywhere: with no default
 * route they do not exist on the chip.
 */
export interface KeyEntry {
  key: number;
  mask: number;
  route: number;
}

export function cubesIntersect(k1: number, m1: number, k2: number, m2: number): boolean {
  return ((k1 ^ k2) & m1 & m2) === 0;
}

/** Exact pair merging until no merge is left or the table has at most `limit` entries. */
export function pairMerge(entries: KeyEntry[], limit: number): KeyEntry[] {
  let total = entries.length;
  if (total <= limit) return entries;
  // route → mask → keys
  const groups = new Map<number, Map<number, Set<number>>>();
  for (const e of entries) {
    const byMask = groups.get(e.route) ?? groups.set(e.route, new Map()).get(e.route)!;
    (byMask.get(e.mask) ?? byMask.set(e.mask, new Set()).get(e.mask)!).add(e.key);
  }
  let changed = true;
  while (changed && total > limit) {
    changed = false;
    for (const byMask of groups.values()) {
      for (const mask of [...byMask.keys()]) {
        for (let b = 0; b < 32 && total > limit; b++) {
          const bit = (1 << b) >>> 0;
          if (((mask & bit) >>> 0) === 0) continue;
          const keys = byMask.get(mask);
          if (!keys || keys.size < 2) break;
          const nm = (mask & ~bit) >>> 0;
          for (const k of [...keys]) {
            if (total <= limit) break;
            if (((k & bit) >>> 0) !== 0 || !keys.has(k)) continue;
            const partner = (k | bit) >>> 0;
            if (!keys.has(partner)) continue;
            keys.delete(k);
            keys.delete(partner);
            (byMask.get(nm) ?? byMask.set(nm, new Set()).get(nm)!).add(k);
            total--;
            changed = true;
          }
        }
      }
    }
  }
  const out: KeyEntry[] = [];
  for (const [route, byMask] of groups) for (const [mask, keys] of byMask) for (const key of keys) out.push({ key, mask, route });
  return out;
}

function cover(group: KeyEntry[]): { key: number; mask: number } {
  let and = 0xffffffff >>> 0;
  let diff = 0;
  const k0 = group[0]!.key;
  for (const e of group) {
    and = (and & e.mask) >>> 0;
    diff = (diff | (e.key ^ k0)) >>> 0;
  }
  const mask = (and & ~diff) >>> 0;
  return { key: (k0 & mask) >>> 0, mask };
}

/**
 * Full compression: pair merging, then ordered covering. Returns the ordered table (first match
 * wins) — it may still exceed `limit` when nothing more can be merged safely.
 */
export function compressTable(entries: KeyEntry[], limit: number): KeyEntry[] {
  if (entries.length <= limit) return entries;
  let exact = pairMerge(entries, limit);
  if (exact.length <= limit) return sortEntries(exact);
  const covers: KeyEntry[] = [];
  const byRoute = new Map<number, KeyEntry[]>();
  for (const e of exact) (byRoute.get(e.route) ?? byRoute.set(e.route, []).get(e.route)!).push(e);
  const removed = new Set<KeyEntry>();
  let total = exact.length;
  const tryCover = (group: KeyEntry[], route: number): void => {
    if (group.length < 2 || total <= limit) return;
    const c = cover(group);
    if (!covers.some((o) => cubesIntersect(c.key, c.mask, o.key, o.mask))) {
      covers.push({ key: c.key, mask: c.mask, route });
      for (const e of group) removed.add(e);
      total -= group.length - 1;
      return;
    }
    // split on the highest bit where the group's keys differ
    let diff = 0;
    for (const e of group) diff = (diff | (e.key ^ group[0]!.key)) >>> 0;
    if (diff === 0) return;
    const bit = (2 ** Math.floor(Math.log2(diff))) >>> 0;
    const lo = group.filter((e) => ((e.key & bit) >>> 0) === 0);
    const hi = group.filter((e) => ((e.key & bit) >>> 0) !== 0);
    tryCover(lo, route);
    tryCover(hi, route);
  };
  const order = [...byRoute.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
  for (const [route, group] of order) {
    if (total <= limit) break;
    tryCover([...group].sort((a, b) => a.key - b.key), route);
  }
  exact = exact.filter((e) => !removed.has(e));
  return [...sortEntries(exact), ...covers];
}

function sortEntries(e: KeyEntry[]): KeyEntry[] {
  return e.sort((a, b) => a.key - b.key || b.mask - a.mask);
}

/** First matching entry's route, or −1 (dropped). */
export function lookup(table: readonly KeyEntry[], key: number): number {
  for (const e of table) if (((key & e.mask) >>> 0) === e.key) return e.route;
  return -1;
}
