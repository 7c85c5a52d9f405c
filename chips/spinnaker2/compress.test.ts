import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressTable, lookup, pairMerge, type KeyEntry } from './compress.js';

/**
 * Random disjoint tables as the router builds them: slices of 2^nb keys at distinct bases in a
 * small key space (so merges happen), each with one of a few routes.
 */
const arbTable = fc
  .record({
    neuronBits: fc.integer({ min: 0, max: 3 }),
    slices: fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 40 }),
    routes: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
    limit: fc.integer({ min: 1, max: 40 }),
  })
  .map(({ neuronBits, slices, routes, limit }) => ({
    neuronBits,
    limit,
    entries: slices.map((s, i): KeyEntry => ({ key: (s << neuronBits) >>> 0, mask: (0xffffffff << neuronBits) >>> 0, route: routes[i]! })),
  }));

/** Every key that can occur: all keys of all original entries. */
function occurring(entries: KeyEntry[], neuronBits: number): number[] {
  return entries.flatMap((e) => Array.from({ length: 2 ** neuronBits }, (_, n) => e.key + n));
}

describe('routing-table compression', () => {
  it('never changes the routing function on any key that can occur', () => {
    fc.assert(
      fc.property(arbTable, ({ entries, limit, neuronBits }) => {
        const out = compressTable(entries.map((e) => ({ ...e })), limit);
        for (const k of occurring(entries, neuronBits)) expect(lookup(out, k)).toBe(lookup(entries, k));
        expect(out.length).toBeLessThanOrEqual(entries.length);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('pair merging is exact: the merged table matches exactly the original keys, in any order', () => {
    fc.assert(
      fc.property(arbTable, ({ entries, neuronBits }) => {
        const out = pairMerge(entries.map((e) => ({ ...e })), 1);
        const covered = out.reduce((a, e) => a + 2 ** (32 - popcount(e.mask)), 0);
        expect(covered).toBe(entries.length * 2 ** neuronBits);
        for (const k of occurring(entries, neuronBits)) expect(lookup([...out].reverse(), k)).toBe(lookup(entries, k));
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('stops as soon as the table fits', () => {
    const entries: KeyEntry[] = Array.from({ length: 16 }, (_, i) => ({ key: i << 8, mask: 0xffffff00, route: 0 }));
    expect(compressTable(entries, 16)).toHaveLength(16);
    expect(compressTable(entries, 10).length).toBeLessThanOrEqual(10);
    expect(compressTable(entries, 10).length).toBeGreaterThan(1);
    expect(compressTable(entries, 1)).toHaveLength(1);
  });

  it('ordered covering puts covering entries after the exact ones they overlap', () => {
    // route 0 owns slices 0 and 3, route 1 owns slice 1: no exact merge is possible;
    // covering {0, 3} → key 0 mask …fc00 overlaps slice 1, which must stay before it
    const entries: KeyEntry[] = [
      { key: 0x000, mask: 0xffffff00, route: 0 },
      { key: 0x100, mask: 0xffffff00, route: 1 },
      { key: 0x300, mask: 0xffffff00, route: 0 },
    ];
    const out = compressTable(entries, 2);
    expect(out).toHaveLength(2);
    expect(out[0]!.route).toBe(1);
    for (const k of [0x0, 0x10, 0x100, 0x1ff, 0x300, 0x3ff]) expect(lookup(out, k)).toBe(lookup(entries, k));
  });
});

function popcount(x: number): number {
  let c = 0;
  for (let v = x >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}
