import { describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import type { FlatNode, Graph } from '../../src/graph/graph.js';
import { topoOrder } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { simulate } from '../../src/reference/simulate.js';
import { chain, dense, pulses, run, spikeSteps, t, trace, trace1 } from './helpers.js';

/** Cycles, the delay option, SparseLinear delays, sources and refusals. */

const input1: FlatNode = { kind: 'Input', name: 'in', shape: [1] };

function errorCodes(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof NeuromeshError) return e.diagnostics.map((d) => d.code);
    throw e;
  }
  return [];
}

describe('recurrent edges read the previous step', () => {
  // in → if (R 1, θ 0.5) ⇄ rec (Linear w 0.3). Pulse 1 at step 0.
  const nodes: FlatNode[] = [
    input1,
    { kind: 'IF', name: 'if', r: t([1]), v_threshold: t([0.5]) },
    { kind: 'Linear', name: 'rec', weight: t([0.3], [1, 1]) },
  ];
  const edges = [...chain('in', 'if', 'rec'), { from: 'rec', to: 'if' }];

  it('the cycle-closing edge is rec → if', () => {
    const o = topoOrder({ nodes, edges });
    expect(o.order).toEqual(['in', 'if', 'rec']);
    expect([...o.backEdges]).toEqual([2]);
  });

  it('delay 0: step 0 v = 1 → spike, reset; step 1 gets rec(0) = 0.3; step 2 gets rec(1) = 0', () => {
    const r = run(nodes, edges, [pulses('in', 4, [0])], 4, {}, { spikes: ['if'], traces: [{ node: 'if', var: 'v' }, { node: 'rec', var: 'y' }] });
    expect(spikeSteps(r, 'if')).toEqual([0]);
    expect(trace1(r, 'rec', 'y')).toEqual([0.3, 0, 0, 0]);
    expect(trace1(r, 'if', 'v')).toEqual([0, 0.3, 0.3, 0.3]);
  });

  it('delay 1: the forward edge in → if and the back edge rec → if each add a step (back edge: t − 2)', () => {
    const r = run(nodes, edges, [pulses('in', 5, [0])], 5, { delay: 1 }, { spikes: ['if'], traces: [{ node: 'if', var: 'v' }] });
    expect(spikeSteps(r, 'if')).toEqual([1]);
    expect(trace1(r, 'if', 'v')).toEqual([0, 0, 0, 0.3, 0.3]);
  });

  it('a self loop on a neuron is a back edge too', () => {
    const lif: FlatNode = { kind: 'IF', name: 'n', r: t([1]), v_threshold: t([0.5]) };
    // self-excitation 1 through the node's own output: spikes once, then every step from the loop
    const r = run([input1, lif], [...chain('in', 'n'), { from: 'n', to: 'n' }], [pulses('in', 4, [0])], 4, {}, { spikes: ['n'] });
    expect(spikeSteps(r, 'n')).toEqual([0, 1, 2, 3]);
  });

  it('a cycle through stateless nodes only is refused with E_STATELESS_CYCLE', () => {
    const bad: FlatNode[] = [input1, { kind: 'Scale', name: 'a', scale: t([1]) }, { kind: 'Scale', name: 'b', scale: t([1]) }];
    const e = [...chain('in', 'a', 'b'), { from: 'b', to: 'a' }];
    expect(errorCodes(() => run(bad, e, [pulses('in', 2, [0])], 2))).toContain('E_STATELESS_CYCLE');
  });
});

describe('delay = 1', () => {
  it('every edge into a stateful node adds one step; edges into stateless nodes do not', () => {
    // in → lin (stateless) → a (IF) → b (Delay 0, stateful) → c (IF)
    const nodes: FlatNode[] = [
      input1,
      { kind: 'Linear', name: 'lin', weight: t([1], [1, 1]) },
      { kind: 'IF', name: 'a', r: t([1]), v_threshold: t([0.5]) },
      { kind: 'Delay', name: 'b', delay: t([0]) },
      { kind: 'IF', name: 'c', r: t([1]), v_threshold: t([0.5]) },
    ];
    const e = chain('in', 'lin', 'a', 'b', 'c');
    const rec = { spikes: ['a', 'c'], traces: [{ node: 'lin', var: 'y' }, { node: 'b', var: 'y' }] };
    const r0 = run(nodes, e, [pulses('in', 5, [0])], 5, { delay: 0 }, rec);
    expect(spikeSteps(r0, 'a')).toEqual([0]);
    expect(spikeSteps(r0, 'c')).toEqual([0]);
    const r1 = run(nodes, e, [pulses('in', 5, [0])], 5, { delay: 1 }, rec);
    expect(trace1(r1, 'lin', 'y')).toEqual([1, 0, 0, 0, 0]); // in → lin: same step
    expect(spikeSteps(r1, 'a')).toEqual([1]); // lin → a: +1
    expect(trace1(r1, 'b', 'y')).toEqual([0, 0, 1, 0, 0]); // a → b (Delay is stateful): +1
    expect(spikeSteps(r1, 'c')).toEqual([3]); // b → c: +1
  });
});

describe('SparseLinear', () => {
  // src (2 neurons) → sl → out. CSR pre-major:
  //   input 0: → 0 (w 0.5, d 0), → 1 (w 1, d 2)
  //   input 1: → 1 (w 2, d 2),  → 0 (w 3, d 5)
  const sl: FlatNode = {
    kind: 'SparseLinear', name: 'sl', in_size: 2, out_size: 2, indptr: Int32Array.from([0, 2, 4]),
    indices: Int32Array.from([0, 1, 1, 0]), weight: f64([0.5, 1, 2, 3]), delay: Int32Array.from([0, 2, 2, 5]), receptor: 0,
  };
  const src = (spikes: number[][]): FlatNode => ({ kind: 'SpikeSource', name: 'src', shape: [2], spikes: f64(spikes.flat(), [spikes.length, 2]) });

  it('delivers each synapse after its delay in steps; contributions arriving together add', () => {
    // input 0 spikes at 0; input 1 spikes at 0 and 3
    const s = src([[1, 1], [0, 0], [0, 0], [0, 1]]);
    const r = run([s, sl], chain('src', 'sl'), [], 10, {}, { traces: [{ node: 'sl', var: 'y' }] });
    expect(trace(r, 'sl', 'y')).toEqual([
      [0.5, 0],
      [0, 0],
      [0, 1 + 2], // both delay-2 synapses from step 0
      [0, 0],
      [0, 0],
      [3, 2], // 1 → 0 from step 0 (d 5), 1 → 1 from step 3 (d 2)
      [0, 0],
      [0, 0],
      [3, 0], // 1 → 0 from step 3 (d 5)
      [0, 0],
    ]);
    // synaptic events: 2 synapses per spike of input 0 (1 spike) and of input 1 (2 spikes)
    expect(r.totals.synapticEvents).toBe(6);
  });

  it('a spike count of 2 delivers twice the weight', () => {
    const r = run([src([[2, 0]]), sl], chain('src', 'sl'), [], 1, {}, { traces: [{ node: 'sl', var: 'y' }] });
    expect(trace(r, 'sl', 'y')).toEqual([[1, 0]]);
  });
});

describe('sources', () => {
  it('SpikeSource with a rate draws the same spikes as a Poisson input of the same node name and seed', () => {
    const n = 50;
    const ss: FlatNode = { kind: 'SpikeSource', name: 'p', shape: [n], rate: f64([400]), seed: 7 };
    const a = run([ss], [], [], 200, {}, { spikes: ['p'] });
    const inp: FlatNode = { kind: 'Input', name: 'p', shape: [n] };
    const b = run([inp], [], [{ kind: 'poisson', node: 'p', size: n, rateHz: 400, seed: 7 }], 200, {}, { spikes: ['p'] });
    expect(Array.from(a.spikes.get('p')!.steps)).toEqual(Array.from(b.spikes.get('p')!.steps));
    expect(Array.from(a.spikes.get('p')!.neurons)).toEqual(Array.from(b.spikes.get('p')!.neurons));
    // p = 400 Hz · 1e-4 s = 0.04 per step: 50·200·0.04 = 400 expected spikes
    expect(a.totals.spikes).toBeGreaterThan(320);
    expect(a.totals.spikes).toBeLessThan(480);
    // the run seed is used when the node has none
    const { seed: _s, ...noSeed } = ss as { seed?: number } & FlatNode;
    const c = run([noSeed as FlatNode], [], [], 200, { seed: 7 }, { spikes: ['p'] });
    expect(Array.from(c.spikes.get('p')!.steps)).toEqual(Array.from(a.spikes.get('p')!.steps));
    const d = run([noSeed as FlatNode], [], [], 200, { seed: 8 }, { spikes: ['p'] });
    expect(Array.from(d.spikes.get('p')!.steps)).not.toEqual(Array.from(a.spikes.get('p')!.steps));
  });

  it('dense inputs are zero after they end, and an Input without input gives zeros with a warning', () => {
    const s: FlatNode = { kind: 'Scale', name: 's', scale: t([2]) };
    const r = run([input1, s], chain('in', 's'), [dense('in', [[1], [3]])], 4, {}, { traces: [{ node: 's', var: 'y' }] });
    expect(trace1(r, 's', 'y')).toEqual([2, 6, 0, 0]);
    const none = run([input1, s], chain('in', 's'), [], 4, {}, { traces: [{ node: 's', var: 'y' }] });
    expect(trace1(none, 's', 'y')).toEqual([0, 0, 0, 0]);
    expect(none.diagnostics.map((d) => [d.code, d.severity, d.node])).toEqual([['W_NO_INPUT', 'warning', 'in']]);
  });
});

describe('refusals', () => {
  const g: Graph = { nodes: [input1, { kind: 'LIF', name: 'lif', tau: t([0.01]), r: t([1]), v_leak: t([0]), v_threshold: t([1]) }], edges: chain('in', 'lif') };
  const inputs = new Map([['in', pulses('in', 3, [0])]]);

  it('bad options are E_BAD_OPTION naming the option', () => {
    expect(errorCodes(() => simulate(g, { steps: 3, inputs, dt: -1 }))).toEqual(['E_BAD_OPTION']);
    expect(errorCodes(() => simulate(g, { steps: 0, inputs }))).toEqual(['E_BAD_OPTION']);
    expect(errorCodes(() => simulate(g, { steps: 3, inputs, integrator: 'rk4' as 'euler' }))).toEqual(['E_BAD_OPTION']);
    expect(errorCodes(() => simulate(g, { steps: 3, inputs, delay: 2 as 0 }))).toEqual(['E_BAD_OPTION']);
  });

  it('recording an unknown node or variable, or an empty range, is refused with a hint', () => {
    expect(errorCodes(() => simulate(g, { steps: 3, inputs, record: { spikes: ['nope'] } }))).toEqual(['E_UNKNOWN_NODE']);
    expect(errorCodes(() => simulate(g, { steps: 3, inputs, record: { traces: [{ node: 'lif', var: 'i' }] } }))).toEqual(['E_BAD_OPTION']);
    expect(errorCodes(() => simulate(g, { steps: 3, inputs, record: { traces: [{ node: 'lif', var: 'v', start: 1 }] } }))).toEqual(['E_BAD_OPTION']);
  });

  it('forward Euler with dt > τ warns (a < 0) and exact does not', () => {
    const fast: Graph = { nodes: [input1, { kind: 'LIF', name: 'lif', tau: t([5e-5]), r: t([1]), v_leak: t([0]), v_threshold: t([1]) }], edges: chain('in', 'lif') };
    const w = simulate(fast, { steps: 3, inputs }).diagnostics;
    expect(w.map((d) => [d.code, d.severity, d.node, d.field])).toEqual([['W_EULER_UNSTABLE', 'warning', 'lif', 'tau']]);
    expect(simulate(fast, { steps: 3, inputs, integrator: 'exact' }).diagnostics).toEqual([]);
    expect(simulate(g, { steps: 3, inputs }).diagnostics).toEqual([]);
  });

  it('an input for a node that is not an Input is refused', () => {
    const extra = new Map([...inputs, ['lif', pulses('lif', 3, [0])]]);
    expect(errorCodes(() => simulate(g, { steps: 3, inputs: extra }))).toEqual(['E_UNKNOWN_NODE']);
  });
});
