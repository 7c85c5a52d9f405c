import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import type { Graph } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { buildCuba } from '../../examples/cuba.js';
import { backend } from './helpers.js';

/** in[2] → fc → lif[3], lif → rec → lif (the edge rec → lif closes the cycle), lif → out. */
function recurrent(delayNode = false): Graph {
  return {
    nodes: [
      { kind: 'Input', name: 'in', shape: [2] },
      { kind: 'Linear', name: 'fc', weight: f64([1, 0.5, 0.2, 0.3, 0.4, 0.6], [3, 2]) },
      { kind: 'LIF', name: 'lif', tau: f64([0.01]), r: f64([1]), v_leak: f64([0]), v_threshold: f64([1]) },
      { kind: 'Linear', name: 'rec', weight: f64([0, 0.5, 0.1, 0.2, 0, 0.3, 0.4, 0.7, 0], [3, 3]) },
      ...(delayNode ? [{ kind: 'Delay' as const, name: 'dl', delay: f64([3e-4]) }] : []),
      { kind: 'Output', name: 'out', shape: [3] },
    ],
    edges: [
      { from: 'in', to: 'fc' }, { from: 'fc', to: 'lif' }, { from: 'lif', to: 'rec' },
      ...(delayNode ? [{ from: 'rec', to: 'dl' }, { from: 'dl', to: 'lif' }] : [{ from: 'rec', to: 'lif' }]),
      { from: 'lif', to: 'out' },
    ],
  };
}

const delays = (g: Graph, delay: 0 | 1): Map<string, number[]> => {
  const { network } = compile(g, backend('spinnaker2'), { config: { delay } });
  return new Map(network.projections.map((p) => [p.name, p.delay ? [...new Set(Array.from(p.delay))].sort() : [0]]));
};

describe('lowering: a cycle-closing edge reads its source one step earlier (docs/semantics.md §2)', () => {
  it('delay 1: the recurrent projection gets one step of synaptic delay, the forward one none', () => {
    const d = delays(recurrent(), 1);
    expect(d.get('fc')).toEqual([0]);
    expect(d.get('rec')).toEqual([1]);
  });

  it('delay 0: nothing is added (the transport tick already is the back edge’s step)', () => {
    const d = delays(recurrent(), 0);
    expect(d.get('fc')).toEqual([0]);
    expect(d.get('rec')).toEqual([0]);
  });

  it('a Delay node on the recurrent chain: its 3 steps, +1 for the Delay under delay 1 (a stateful target), +1 for the back edge', () => {
    // reference, delay 1: rec → dl takes 1 step (dl is stateful), dl holds 3, dl → lif closes the cycle (2);
    // the chip: 1 tick of transport + 5 steps of synaptic delay — 6 either way
    expect(delays(recurrent(true), 1).get('rec+dl')).toEqual([5]);
    expect(delays(recurrent(true), 0).get('rec+dl')).toEqual([3]);
  });

  it('CUBA’s SparseLinear self-projections (the fast CSR path) get the step too, and keep their CSR arrays', () => {
    const g = buildCuba({ n: 200, fanout: 20 });
    const one = compile(g, backend('spinnaker2'), { config: { delay: 1 } }).network;
    const zero = compile(g, backend('spinnaker2'), { config: { delay: 0 } }).network;
    for (const name of ['Ce', 'Ci']) {
      const a = one.projections.find((p) => p.name === name)!;
      const b = zero.projections.find((p) => p.name === name)!;
      expect(a.target.length).toBeGreaterThan(0);
      expect(Array.from(a.target)).toEqual(Array.from(b.target));
      expect(Array.from(a.delay!).every((x, s) => x === (b.delay ? b.delay[s]! : 0) + 1)).toBe(true);
    }
  });
});
