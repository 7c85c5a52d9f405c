import { describe, expect, it } from 'vitest';
import { loadProfile } from '../index.js';
import { buildMachine } from './machine.js';

const degree = (m: ReturnType<typeof buildMachine>, c: number): number => {
  let d = 0;
  for (let l = 0; l < 6; l++) if (m.neighbour[c * 6 + l]! >= 0) d++;
  return d;
};

describe('spinnaker2 machines', () => {
  it('one chip: 152 PEs in 38 QPEs, no links', () => {
    const m = buildMachine(loadProfile('spinnaker2'));
    expect(m.chips).toEqual([[0, 0]]);
    expect(m.coresPerChip).toBe(152);
    expect(new Set(m.qpeOfPe).size).toBe(38);
    expect(degree(m, 0)).toBe(0);
  });

  for (const id of ['spinnaker2-48', 'spinnaker2-48-wrap', 'spinnaker2-triad']) {
    it(`${id}: links are symmetric (link l and l+3 are opposite) and every chip is reachable`, () => {
      const m = buildMachine(loadProfile(id));
      const n = m.chips.length;
      expect(n).toBe(id === 'spinnaker2-triad' ? 144 : 48);
      for (let c = 0; c < n; c++)
        for (let l = 0; l < 6; l++) {
          const d = m.neighbour[c * 6 + l]!;
          if (d >= 0) expect(m.neighbour[d * 6 + ((l + 3) % 6)]).toBe(c);
        }
      for (let i = 0; i < n * n; i++) expect(m.distance[i]).toBeLessThan(0xffff);
    });
  }

  it('48-chip board: edge chips have fewer links without wrap, all six with wrap', () => {
    const open = buildMachine(loadProfile('spinnaker2-48'));
    const wrap = buildMachine(loadProfile('spinnaker2-48-wrap'));
    const degOpen = open.chips.map((_, c) => degree(open, c));
    expect(Math.min(...degOpen)).toBeLessThan(6);
    expect(degOpen.filter((d) => d === 6).length).toBeGreaterThan(10);
    expect(wrap.chips.every((_, c) => degree(wrap, c) === 6)).toBe(true);
    // the wrapped board is smaller in diameter
    expect(Math.max(...wrap.distance)).toBeLessThan(Math.max(...open.distance));
  });
});
