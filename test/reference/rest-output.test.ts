import { describe, expect, it } from 'vitest';
import type { FlatNode } from '../../src/graph/graph.js';
import { chain, pulses, run, t, trace1 } from './helpers.js';

/**
 * docs/semantics.md §2, before step 0: an edge that reaches back before step 0 reads its source's
 * rest output, so a bias acts from step 0 in every delay mode and behind every lag. Silent input.
 */
const input: FlatNode = { kind: 'Input', name: 'in', shape: [1] };
const biased: FlatNode = { kind: 'Affine', name: 'fc', weight: t([2], [1, 1]), bias: t([0.25]) };
const integ: FlatNode = { kind: 'I', name: 'n', r: t([1]) };
const silent = [pulses('in', 4, [])];

describe('a bias acts from step 0 (rest output before step 0)', () => {
  it('delay 0 and delay 1 give the same v: 0.25 per step from step 0', () => {
    for (const delay of [0, 1] as const) {
      const r = run([input, biased, integ], chain('in', 'fc', 'n'), silent, 4, { delay }, { traces: [{ node: 'n', var: 'v' }] });
      expect(trace1(r, 'n', 'v')).toEqual([0.25, 0.5, 0.75, 1]);
    }
  });

  it('behind a Delay of 2 steps the bias is there before the delayed input arrives', () => {
    const d: FlatNode = { kind: 'Delay', name: 'd', delay: t([0.002]) };
    const r = run([input, biased, d, integ], chain('in', 'fc', 'd', 'n'), [pulses('in', 4, [0])], 4, { dt: 0.001 }, { traces: [{ node: 'd', var: 'y' }] });
    // y_t = x_{t−2}: rest (the bias) at steps 0 and 1, then fc(0) = 2·1 + 0.25, then fc(1) = 0.25
    expect(trace1(r, 'd', 'y')).toEqual([0.25, 0.25, 2.25, 0.25]);
  });

  it('through a back edge (lag 2 with delay 1) a recurrent bias also acts from step 0', () => {
    // in → n (I) → rec (Affine w 0, bias 0.5) → back to n
    const rec: FlatNode = { kind: 'Affine', name: 'rec', weight: t([0], [1, 1]), bias: t([0.5]) };
    const r = run([input, integ, rec], [...chain('in', 'n', 'rec'), { from: 'rec', to: 'n' }], silent, 4, { delay: 1 }, { traces: [{ node: 'n', var: 'v' }] });
    expect(trace1(r, 'n', 'v')).toEqual([0.5, 1, 1.5, 2]);
  });

  it('a neuron at rest reads zeros: an unbiased chain stays silent', () => {
    const lin: FlatNode = { kind: 'Linear', name: 'fc', weight: t([2], [1, 1]) };
    const r = run([input, lin, integ], chain('in', 'fc', 'n'), silent, 3, { delay: 1 }, { traces: [{ node: 'n', var: 'v' }] });
    expect(trace1(r, 'n', 'v')).toEqual([0, 0, 0]);
  });
});
