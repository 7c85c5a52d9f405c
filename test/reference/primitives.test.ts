import { describe, expect, it } from 'vitest';
import type { FlatNode } from '../../src/graph/graph.js';
import { chain, dense, pulses, run, spikeSteps, t, trace, trace1 } from './helpers.js';

/** Per-primitive checks against values computed by hand (derivations in the comments). */

const input1: FlatNode = { kind: 'Input', name: 'in', shape: [1] };
const out1: FlatNode = { kind: 'Output', name: 'out', shape: [1] };
const ones = (steps: number): ReturnType<typeof dense> => dense('in', Array.from({ length: steps }, () => [1]));

describe('LI / LIF decay', () => {
  // τ = 0.01, dt = 1e-4 → euler a = 0.99, exact a = e^(−0.01) = 0.990049833749168
  // LI: v ← v_leak + (v − v_leak)·a + R·x·(1 − a), v_leak = 0.5, R = 2, x = 1 every step
  const li: FlatNode = { kind: 'LI', name: 'li', tau: t([0.01]), r: t([2]), v_leak: t([0.5]) };

  it('euler: v1 = 0.5 − 0.5·0.99 + 2·0.01 = 0.025, v2 = 0.5 + (0.025 − 0.5)·0.99 + 0.02 = 0.04975', () => {
    const r = run([input1, li, out1], chain('in', 'li', 'out'), [ones(3)], 3, {}, { traces: [{ node: 'li', var: 'v' }, { node: 'out', var: 'y' }] });
    const v = trace1(r, 'li', 'v');
    expect(v[0]).toBeCloseTo(0.025, 14);
    expect(v[1]).toBeCloseTo(0.04975, 14);
    // LI's output is its voltage
    expect(trace1(r, 'out', 'y')).toEqual(v);
  });

  it('exact: v1 = 0.5 − 0.5·e^(−0.01) + 2·(1 − e^(−0.01)) = 0.0248754156270797, v2 = 0.0495033167331115', () => {
    const r = run([input1, li], chain('in', 'li'), [ones(2)], 2, { integrator: 'exact' }, { traces: [{ node: 'li', var: 'v' }] });
    const v = trace1(r, 'li', 'v');
    expect(v[0]).toBeCloseTo(0.0248754156270797, 14);
    expect(v[1]).toBeCloseTo(0.0495033167331115, 14);
  });

  it('LIF with no input decays from its leak: v_leak 1.2, τ 0.01 → v_t = 1.2·(1 − 0.99^(t+1)), first > 1 at t = 178', () => {
    const lif: FlatNode = { kind: 'LIF', name: 'lif', tau: t([0.01]), r: t([1]), v_leak: t([1.2]), v_threshold: t([1]) };
    const r = run([lif], [], [], 400, {}, { spikes: ['lif'], traces: [{ node: 'lif', var: 'v' }] });
    expect(spikeSteps(r, 'lif')).toEqual([178, 357]);
    const v = trace1(r, 'lif', 'v');
    expect(v[0]).toBeCloseTo(0.012, 14); // 1.2 + (0 − 1.2)·0.99
    expect(v[178]).toBe(0); // recorded after reset
    expect(v[179]).toBeCloseTo(0.012, 14); // the same trajectory again
  });
});

describe('reset rules', () => {
  // LIF τ = 1e-4·50 → a = 0.98, R·x·(1 − a) with R = 30, x = 1 → +0.6 per step, threshold 1
  const lif = (vReset?: number): FlatNode => ({
    kind: 'LIF', name: 'lif', tau: t([0.005]), r: t([30]), v_leak: t([0]), v_threshold: t([1]),
    ...(vReset !== undefined ? { v_reset: t([vReset]) } : {}),
  });
  const rec = { spikes: ['lif'], traces: [{ node: 'lif', var: 'v' }] };

  it('zero: v ← v_reset (0 when absent, −0.5 when given) after v1 = 0.6, v2 = 0.6·0.98 + 0.6 = 1.188 > 1', () => {
    const r0 = run([input1, lif()], chain('in', 'lif'), [ones(3)], 3, {}, rec);
    const v0 = trace1(r0, 'lif', 'v');
    expect(v0[0]).toBeCloseTo(0.6, 12);
    expect(spikeSteps(r0, 'lif')).toEqual([1]);
    expect(v0[1]).toBe(0);
    expect(v0[2]).toBeCloseTo(0.6, 12);
    const r1 = run([input1, lif(-0.5)], chain('in', 'lif'), [ones(3)], 3, {}, rec);
    const v1 = trace1(r1, 'lif', 'v');
    expect(v1[1]).toBe(-0.5);
    expect(v1[2]).toBeCloseTo(-0.5 * 0.98 + 0.6, 12); // 0.11
  });

  it('subtract: v ← v − v_threshold = 1.188 − 1 = 0.188 (v_reset ignored)', () => {
    const r = run([input1, lif(-0.5)], chain('in', 'lif'), [ones(3)], 3, { reset: 'subtract' }, rec);
    const v = trace1(r, 'lif', 'v');
    expect(spikeSteps(r, 'lif')).toEqual([1]);
    expect(v[1]).toBeCloseTo(0.188, 12);
    expect(v[2]).toBeCloseTo(0.188 * 0.98 + 0.6, 12); // 0.78424
  });
});

describe('I and IF', () => {
  // R = 0.25, x = 1, threshold 1: binary-exact increments
  const iff: FlatNode = { kind: 'IF', name: 'if', r: t([0.25]), v_threshold: t([1]) };
  const rec = { spikes: ['if'], traces: [{ node: 'if', var: 'v' }] };

  it('ifMode=step adds R·x = 0.25 per step: v = 0.25, 0.5, 0.75, 1.0 (not > 1), 1.25 → spike at step 4, every 5 steps', () => {
    const r = run([input1, iff], chain('in', 'if'), [ones(15)], 15, {}, rec);
    expect(spikeSteps(r, 'if')).toEqual([4, 9, 14]);
    expect(trace1(r, 'if', 'v').slice(0, 6)).toEqual([0.25, 0.5, 0.75, 1, 0, 0.25]);
  });

  it('ifMode=step with reset=subtract: 1.25 − 1 = 0.25 carries over → spikes at 4, 8, 12', () => {
    const r = run([input1, iff], chain('in', 'if'), [ones(13)], 13, { reset: 'subtract' }, rec);
    expect(spikeSteps(r, 'if')).toEqual([4, 8, 12]);
    expect(trace1(r, 'if', 'v')[4]).toBe(0.25);
  });

  it('ifMode=ode adds dt·R·x = 0.5·0.25 = 0.125 per step (dt = 0.5): first v > 1 at step 8 (1.125)', () => {
    const r = run([input1, iff], chain('in', 'if'), [ones(18)], 18, { ifMode: 'ode', dt: 0.5 }, rec);
    expect(spikeSteps(r, 'if')).toEqual([8, 17]);
    expect(trace1(r, 'if', 'v').slice(0, 3)).toEqual([0.125, 0.25, 0.375]);
  });

  it('I integrates without threshold and outputs v; ifMode=ode scales by dt; the integrator option does not matter', () => {
    const i: FlatNode = { kind: 'I', name: 'i', r: t([3]) };
    const drive = dense('in', [[1], [2], [0], [-1]]);
    const rs = run([input1, i, out1], chain('in', 'i', 'out'), [drive], 4, { integrator: 'exact' }, { traces: [{ node: 'out', var: 'y' }] });
    expect(trace1(rs, 'out', 'y')).toEqual([3, 9, 9, 6]);
    const ro = run([input1, i, out1], chain('in', 'i', 'out'), [drive], 4, { ifMode: 'ode', dt: 0.5 }, { traces: [{ node: 'out', var: 'y' }] });
    expect(trace1(ro, 'out', 'y')).toEqual([1.5, 4.5, 4.5, 3]);
  });
});

describe('CubaLI / CubaLIF: two time constants', () => {
  // dt = 1e-4, τ_syn = 2e-4 → a_syn = 0.5 (euler); τ_mem = 4e-4 → a_mem = 0.75; w_in = 2, R = 1
  // one input pulse at step 0:
  //   i0 = 2·1·0.5 = 1,   v0 = 1·1·0.25 = 0.25
  //   i1 = 0.5,           v1 = 0.25·0.75 + 0.5·0.25 = 0.3125
  //   i2 = 0.25,          v2 = 0.3125·0.75 + 0.25·0.25 = 0.296875
  const cuba = (kind: 'CubaLI' | 'CubaLIF', th = 10): FlatNode => ({
    kind, name: 'c', tau_syn: t([2e-4]), tau_mem: t([4e-4]), r: t([1]), v_leak: t([0]), w_in: t([2]),
    ...(kind === 'CubaLIF' ? { v_threshold: t([th]) } : {}),
  } as FlatNode);
  const rec = { traces: [{ node: 'c', var: 'v' }, { node: 'c', var: 'i' }] };

  it('euler: synaptic current halves each step while v rises then decays', () => {
    const r = run([input1, cuba('CubaLI')], chain('in', 'c'), [pulses('in', 3, [0])], 3, {}, rec);
    expect(trace1(r, 'c', 'i')).toEqual([1, 0.5, 0.25]);
    expect(trace1(r, 'c', 'v')).toEqual([0.25, 0.3125, 0.296875]);
  });

  it('exact: a_syn = e^(−0.5), a_mem = e^(−0.25): i0 = 0.786938680574733, v0 = 0.174070219913953, v1 = 0.241144948899131, v2 = 0.251840730262892', () => {
    const r = run([input1, cuba('CubaLI')], chain('in', 'c'), [pulses('in', 3, [0])], 3, { integrator: 'exact' }, rec);
    const i = trace1(r, 'c', 'i');
    const v = trace1(r, 'c', 'v');
    expect(i[0]).toBeCloseTo(0.786938680574733, 14);
    expect(i[1]).toBeCloseTo(0.786938680574733 * Math.exp(-0.5), 14);
    expect(v[0]).toBeCloseTo(0.174070219913953, 14);
    expect(v[1]).toBeCloseTo(0.241144948899131, 14);
    expect(v[2]).toBeCloseTo(0.251840730262892, 14);
  });

  it('CubaLIF thresholds v (0.3125 > 0.3 at step 1), resets v to 0 and keeps i: v2 = 0·0.75 + 0.25·0.25 = 0.0625', () => {
    const r = run([input1, cuba('CubaLIF', 0.3)], chain('in', 'c'), [pulses('in', 3, [0])], 3, {}, { ...rec, spikes: ['c'] });
    expect(spikeSteps(r, 'c')).toEqual([1]);
    expect(trace1(r, 'c', 'v')).toEqual([0.25, 0, 0.0625]);
    expect(trace1(r, 'c', 'i')).toEqual([1, 0.5, 0.25]);
  });
});

describe('Delay', () => {
  it('y_t = x_{t−k}, k = round(delay/dt) per element: delays [0, 0.3 ms, 0.1 ms] → steps 0, 3, 1', () => {
    const inp: FlatNode = { kind: 'Input', name: 'in', shape: [3] };
    const d: FlatNode = { kind: 'Delay', name: 'd', delay: t([0, 3e-4, 1e-4]) };
    const o: FlatNode = { kind: 'Output', name: 'out', shape: [3] };
    const x = dense('in', [[1, 2, 3], [0, 0, 0], [0, 0, 5], [0, 0, 0], [0, 0, 0]]);
    const r = run([inp, d, o], chain('in', 'd', 'out'), [x], 6, {}, { traces: [{ node: 'out', var: 'y' }] });
    expect(trace(r, 'out', 'y')).toEqual([
      [1, 0, 0],
      [0, 0, 3],
      [0, 0, 0],
      [0, 2, 5],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
});

describe('Delay longer than the run', () => {
  it('a delay of 1000 s (10^7 steps) gives zeros without allocating a 10^7-step ring', () => {
    const d: FlatNode = { kind: 'Delay', name: 'd', delay: t([1000]) };
    const r = run([input1, d], chain('in', 'd'), [ones(5)], 5, {}, { traces: [{ node: 'd', var: 'y' }] });
    expect(trace1(r, 'd', 'y')).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('stateless maps', () => {
  it('Threshold is strict: x = θ gives 0, x just above gives 1', () => {
    const inp: FlatNode = { kind: 'Input', name: 'in', shape: [3] };
    const th: FlatNode = { kind: 'Threshold', name: 'th', threshold: t([0.5, 0.5, -1]) };
    const r = run([inp, th], chain('in', 'th'), [dense('in', [[0.5, 0.5000001, -1], [0.4, 2, -0.9]])], 2, {}, { spikes: ['th'], traces: [{ node: 'th', var: 'y' }] });
    expect(trace(r, 'th', 'y')).toEqual([[0, 1, 0], [0, 1, 1]]);
    expect(Array.from(r.spikes.get('th')!.steps)).toEqual([0, 1, 1]);
    expect(Array.from(r.spikes.get('th')!.neurons)).toEqual([1, 1, 2]);
    expect(Array.from(r.counts.get('th')!)).toEqual([0, 2, 1]);
  });

  it('Scale multiplies element-wise and broadcasts a 1-element scale', () => {
    const inp: FlatNode = { kind: 'Input', name: 'in', shape: [3] };
    const s1: FlatNode = { kind: 'Scale', name: 's1', scale: t([2, -1, 0.5]) };
    const s2: FlatNode = { kind: 'Scale', name: 's2', scale: t([3]) };
    const r = run([inp, s1, s2], chain('in', 's1', 's2'), [dense('in', [[1, 2, 4]])], 1, {}, { traces: [{ node: 's1', var: 'y' }, { node: 's2', var: 'y' }] });
    expect(trace(r, 's1', 'y')).toEqual([[2, -2, 2]]);
    expect(trace(r, 's2', 'y')).toEqual([[6, -6, 6]]);
  });

  it('Flatten keeps C order: [2, 3] → [6] is the identity on flat values; Affine contracts the last axis of [2, 3]', () => {
    const inp: FlatNode = { kind: 'Input', name: 'in', shape: [2, 3] };
    const fl: FlatNode = { kind: 'Flatten', name: 'fl', start_dim: 0, end_dim: -1 };
    // W [2, 3], b [2]: rows of x are [1, 2, 3] and [4, 5, 6]
    const af: FlatNode = { kind: 'Affine', name: 'af', weight: t([1, 0, -1, 0.5, 0.5, 0.5], [2, 3]), bias: t([10, 20]) };
    const r = run([inp, fl, af], [{ from: 'in', to: 'fl' }, { from: 'in', to: 'af' }], [dense('in', [[1, 2, 3, 4, 5, 6]])], 1, {}, {
      traces: [{ node: 'fl', var: 'y' }, { node: 'af', var: 'y' }],
    });
    expect(trace(r, 'fl', 'y')).toEqual([[1, 2, 3, 4, 5, 6]]);
    // [1−3+10, 0.5·6+20, 4−6+10, 0.5·15+20]
    expect(trace(r, 'af', 'y')).toEqual([[8, 23, 8, 27.5]]);
    expect(r.shapes.get('af')).toEqual([2, 2]);
  });

  it('Linear has no bias; several incoming edges add', () => {
    const a: FlatNode = { kind: 'Input', name: 'a', shape: [2] };
    const b: FlatNode = { kind: 'Input', name: 'b', shape: [2] };
    const lin: FlatNode = { kind: 'Linear', name: 'lin', weight: t([1, 2, 3, 4], [2, 2]) };
    const r = run([a, b, lin], [{ from: 'a', to: 'lin' }, { from: 'b', to: 'lin' }], [dense('a', [[1, 0]]), dense('b', [[0, 1]])], 1, {}, { traces: [{ node: 'lin', var: 'y' }] });
    // x = [1, 1] → [3, 7]
    expect(trace(r, 'lin', 'y')).toEqual([[3, 7]]);
    expect(r.totals.synapticEvents).toBe(4);
  });
});
