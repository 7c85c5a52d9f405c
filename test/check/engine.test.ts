import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arbInputCase, compareExact, compareTolerance, materialize, parseProperty, parseReplay, parseTolerance, runCheck,
  stimulusInputs, type CheckSystem, type SpikeMap, type Stimulus,
} from '../../src/check/index.js';
import type { StepInput } from '../../src/io/spikes.js';

const ports = [{ name: 'a', size: 3 }, { name: 'b', size: 2 }];

/** A chip-free system: every input spike of node a reappears as a spike of y (same step, neuron). */
function fakeSystem(drop: (step: number, neuron: number) => boolean): CheckSystem {
  const echo = (inputs: Map<string, StepInput>, T: number, lose: boolean): SpikeMap => {
    const a = inputs.get('a')!;
    const steps: number[] = [];
    const neurons: number[] = [];
    if (a.kind === 'dense')
      for (let t = 0; t < T; t++) for (let k = 0; k < a.size; k++) if (a.data[t * a.size + k] && !(lose && drop(t, k))) (steps.push(t), neurons.push(k));
    return new Map([['y', { steps, neurons }]]);
  };
  return {
    inputs: ports, dt: 1e-3, inputStart: 1, referenceNote: 'identity',
    chip: async (inputs, T) => ({ spikes: echo(inputs, T, true) }),
    golden: (inputs, T) => echo(inputs, T, false),
    reference: (inputs, T) => echo(inputs, T, false),
  };
}

describe('comparisons', () => {
  const m = (steps: number[], neurons: number[]): SpikeMap => new Map([['y', { steps, neurons }]]);
  it('exact: the earliest differing step over all neurons, with who spiked', () => {
    const v = compareExact(m([1, 2, 4], [0, 1, 0]), m([1, 3, 4], [0, 1, 0]));
    expect(v.ok).toBe(false);
    expect(v.difference).toMatchObject({ node: 'y', neuron: 1, step: 2, chipSpiked: true, otherSpiked: false, chipCount: 1, otherCount: 1 });
    expect(compareExact(m([1], [0]), m([1], [0])).ok).toBe(true);
  });
  it('tolerance: per-neuron count difference ≤ count + rel·max', () => {
    const chip = m([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]);
    expect(compareTolerance(chip, m([1, 2, 3, 4], [0, 0, 0, 0]), { count: 1, rel: 0 }).ok).toBe(true);
    const v = compareTolerance(chip, m([1, 2, 3], [0, 0, 0]), { count: 1, rel: 0 });
    expect(v.ok).toBe(false);
    expect(v.difference).toMatchObject({ neuron: 0, step: 4, chipCount: 5, otherCount: 3 });
    expect(compareTolerance(chip, m([1, 2, 3], [0, 0, 0]), { count: 1, rel: 0.2 }).ok).toBe(true);
  });
  it('parses --tolerance and --replay, refusing malformed ones', () => {
    expect(parseTolerance(undefined)).toEqual({ count: 1, rel: 0.1 });
    expect(parseTolerance('exact')).toEqual({ count: 0, rel: 0 });
    expect(parseTolerance('count=2,rel=0.05')).toEqual({ count: 2, rel: 0.05 });
    expect(() => parseTolerance('count=1.5')).toThrow(/whole number/);
    expect(() => parseTolerance('abs=1')).toThrow(/count=K or rel=R/);
    expect(parseReplay('42:1:0:3')).toEqual({ seed: 42, path: '1:0:3' });
    expect(() => parseReplay('x:1')).toThrow(/seed:path/);
  });
});

describe('stimuli', () => {
  it('materialized spikes lie in [inputStart, steps), on existing neurons, sorted and unique', () => {
    fc.assert(
      fc.property(arbInputCase({ maxSteps: 40, minSteps: 2, maxRateHz: 400 }), (c) => {
        const s = materialize(c, ports, 1e-3, 1);
        const keys = s.spikes.map((e) => `${e.input}/${e.step}/${e.neuron}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const e of s.spikes) {
          expect(e.step).toBeGreaterThanOrEqual(1);
          expect(e.step).toBeLessThan(s.steps);
          expect(e.neuron).toBeLessThan(ports.find((p) => p.name === e.input)!.size);
        }
        const order = s.spikes.map((e) => [ports.findIndex((p) => p.name === e.input), e.step, e.neuron] as const);
        for (let i = 1; i < order.length; i++) {
          const [a, b] = [order[i - 1]!, order[i]!];
          expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])))).toBe(true);
        }
        const inp = stimulusInputs(s, ports);
        let ones = 0;
        for (const v of inp.values()) if (v.kind === 'dense') ones += v.data.reduce((x, y) => x + y, 0);
        expect(ones).toBe(s.spikes.length);
      }),
      { numRuns: 200, seed: 3 },
    );
  });
  it('a silence train removes every input spike in its window', () => {
    const s = materialize({ steps: 20, trains: [{ shape: 'burst', input: 0, neuron: 1, start: 0, count: 8, every: 1 }, { shape: 'silence', start: 2, length: 3 }] }, ports, 1e-3, 1);
    expect(s.spikes.map((e) => e.step)).toEqual([1, 2, 6, 7, 8]);
  });
});

describe('runCheck without a chip', () => {
  it('a faithful system passes N runs, with coverage', async () => {
    const r = await runCheck(fakeSystem(() => false), { runs: 40, seed: 1, steps: 30 });
    expect(r.ok).toBe(true);
    expect(r.runs).toBe(40);
    expect(r.coverage.runs).toBe(40);
    expect(r.coverage.inputSpikes.total).toBeGreaterThan(0);
  });
  it('a system losing spikes of neuron 2 from step 5 on shrinks to that one spike in 6 steps, and replays to the same', async () => {
    const sys = fakeSystem((t, k) => k === 2 && t >= 5);
    const r = await runCheck(sys, { runs: 100, seed: 11, steps: 40 });
    expect(r.ok).toBe(false);
    const cx = r.counterexample!;
    const want: Stimulus = { steps: 6, spikes: [{ input: 'a', step: 5, neuron: 2 }] };
    expect(cx.stimulus).toEqual(want);
    expect(cx.evaluation.golden!.difference).toMatchObject({ node: 'y', neuron: 2, step: 5, chipSpiked: false, otherSpiked: true });
    const again = await runCheck(sys, { runs: 100, seed: 11, steps: 40, replay: cx.replay });
    expect(JSON.stringify(again.counterexample!.stimulus)).toBe(JSON.stringify(cx.stimulus));
    expect(JSON.stringify(again.counterexample!.evaluation)).toBe(JSON.stringify(cx.evaluation));
  });
  it('properties are checked on the chip spikes and shrunk too', async () => {
    const r = await runCheck(fakeSystem(() => false), { runs: 50, seed: 2, steps: 30, properties: [parseProperty('spikes(y)<=2')] });
    expect(r.ok).toBe(false);
    expect(r.counterexample!.stimulus.spikes.length).toBe(3);
    expect(r.counterexample!.evaluation.properties![0]!.message).toMatch(/spikes\(y\) = 3 <= 2 is false/);
  });
  it('a run that throws is an error, not a counterexample', async () => {
    const sys = { ...fakeSystem(() => false), chip: async (): Promise<never> => { throw new Error('worker died'); } };
    await expect(runCheck(sys, { runs: 5, seed: 0, steps: 10 })).rejects.toThrow(/worker died/);
  });
});

describe('the backend decides what equal means against its golden model', () => {
  it('with a golden tolerance of one spike, losing one spike passes and losing two fails', async () => {
    const sys = { ...fakeSystem((t, k) => k === 0 && t >= 3), goldenTolerance: { count: 1, rel: 0 }, reference: (): SpikeMap => new Map() };
    const r = await runCheck(sys, { runs: 60, seed: 5, steps: 30, tolerance: { count: 1000, rel: 0 } });
    expect(r.ok).toBe(false);
    const cx = r.counterexample!;
    expect(cx.evaluation.golden).toMatchObject({ against: 'golden', ok: false });
    expect(cx.stimulus.spikes).toHaveLength(2);
    expect(cx.stimulus.spikes.every((e) => e.input === 'a' && e.neuron === 0 && e.step >= 3)).toBe(true);
  });
});
