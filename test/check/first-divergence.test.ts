import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainDivergence, explanationLine, firstDivergences, formatStimulus, isNearTie, type ExplainSystem, type SpikeMap } from '../../src/check/index.js';

const m = (entries: [string, number[], number[]][]): SpikeMap => new Map(entries.map(([n, steps, neurons]) => [n, { steps, neurons }]));

describe('the first divergence of chip and reference', () => {
  it('is the earliest step over every node and neuron, listing every event that differs there', () => {
    const chip = m([['a', [1, 3, 3, 7], [0, 1, 2, 0]], ['b', [5], [4]]]);
    const ref = m([['a', [1, 3, 7], [0, 2, 0]], ['b', [3, 5], [9, 4]]]);
    expect(firstDivergences(chip, ref)).toEqual([
      { node: 'a', neuron: 1, step: 3, chipSpiked: true },
      { node: 'b', neuron: 9, step: 3, chipSpiked: false },
    ]);
    expect(firstDivergences(chip, chip)).toEqual([]);
  });

  it('property: equal trains never diverge; moving one spike later diverges exactly at its old step', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.tuple(fc.nat(20), fc.nat(5)), { minLength: 1, selector: (x) => `${x[0]},${x[1]}` }), fc.nat(), (evs, pick) => {
      const sorted = [...evs].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      const ref = m([['y', sorted.map((e) => e[0]), sorted.map((e) => e[1])]]);
      expect(firstDivergences(ref, ref)).toEqual([]);
      const i = pick % sorted.length;
      const [s, n] = sorted[i]!;
      if (sorted.some(([t, k]) => k === n && t === s + 100)) return;
      const moved = sorted.map((e, j) => (j === i ? [s + 100, n] : e)).sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
      const chip = m([['y', moved.map((e) => e[0]!), moved.map((e) => e[1]!)]]);
      expect(firstDivergences(chip, ref)).toEqual([{ node: 'y', neuron: n, step: s, chipSpiked: false }]);
    }));
  });

  const sys = (chipV: number, refSpikes: boolean): ExplainSystem => ({
    size: () => 2,
    threshold: (node) => (node === 'y' ? 1 : undefined),
    chip: async (_i, steps, nodes) => ({ spikes: m([['y', [], []]]), traces: new Map(nodes.map((n) => [n, new Float64Array(2 * steps).fill(chipV)])) }),
    reference: (_i, steps, nodes) => ({ spikes: m([['y', refSpikes ? [2] : [], refSpikes ? [1] : []]]), traces: new Map(nodes.map((n) => [n, new Float64Array(2 * steps)])) }),
  });
  const stim = { steps: 4, spikes: [] };

  it('a silent chip 2e-5 below the threshold is a near-tie; 5 % below is not', async () => {
    const tie = (await explainDivergence(sys(0.99998, true), stim, new Map(), ['y']))!;
    expect(tie.first).toHaveLength(1);
    expect(tie.first[0]).toMatchObject({ node: 'y', neuron: 1, step: 2, chipSpiked: false, threshold: 1 });
    expect(tie.first[0]!.relativeMargin).toBeCloseTo(2e-5, 10);
    expect(tie.nearTie).toBe(true);
    expect(explanationLine(tie)).toMatch(/y\[1\] at step 2 \(chip silent, reference spiked\); chip v = 0\.99998, 0\.00002 below v_threshold 1: the chip was within 0\.002 % of its threshold/);
    const far = (await explainDivergence(sys(0.95, true), stim, new Map(), ['y']))!;
    expect(far.nearTie).toBe(false);
    expect(explanationLine(far)).toMatch(/not a near-tie/);
    expect(await explainDivergence(sys(0.95, false), stim, new Map(), ['y'])).toBeUndefined();
    expect(isNearTie({ node: 'y', neuron: 0, step: 0, chipSpiked: true, silentV: 1.0001, threshold: 1, relativeMargin: -1e-4 })).toBe(false);
  });
});

describe('formatStimulus', () => {
  it('lists at most 24 events per input and counts the rest', () => {
    const spikes = Array.from({ length: 30 }, (_, k) => ({ input: 'in', step: k, neuron: 0 }));
    const text = formatStimulus({ steps: 30, spikes }, [{ name: 'in', size: 1 }]);
    expect(text.match(/@/g)).toHaveLength(24);
    expect(text).toMatch(/… 6 more \(all in --json\) \(30 steps, 30 input spikes\)$/);
  });
});
