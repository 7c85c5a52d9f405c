import { describe, expect, it } from 'vitest';
import { followChipAtTies, type SpikeMap } from '../../src/check/index.js';
import type { Graph } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { simulate } from '../../src/reference/index.js';

/** SpikeSource (1 neuron, spike at step 2) → weight w → IF 'n' (r = 1, v_threshold = 1). */
function graph(w: number): Graph {
  const spikes = [0, 0, 1, 0, 0, 0];
  return {
    nodes: [
      { kind: 'SpikeSource', name: 'src', shape: [1], spikes: f64(spikes, [6, 1]) },
      { kind: 'SparseLinear', name: 'w', in_size: 1, out_size: 1, indptr: Int32Array.from([0, 1]), indices: Int32Array.from([0]), weight: f64([w]), receptor: 0 },
      { kind: 'IF', name: 'n', r: f64([1]), v_threshold: f64([1]) },
    ],
    edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'n' }],
  } as Graph;
}
const run = (w: number, chip?: SpikeMap): number[] => {
  const r = simulate(graph(w), { steps: 6, inputs: new Map(), ...(chip ? { thresholdTies: followChipAtTies(chip, () => 1, 1e-3) } : {}) });
  return Array.from(r.spikes.get('n')!.steps);
};
const chipAt = (steps: number[]): SpikeMap => new Map([['n', { steps, neurons: steps.map(() => 0) }]]);

describe('a reference that follows the chip at near-ties of the threshold', () => {
  it('v 1e-5 below the threshold spikes exactly where the chip spiked', () => {
    expect(run(0.99999)).toEqual([]);
    expect(run(0.99999, chipAt([2]))).toEqual([2]);
    // an IF neuron keeps v: at step 3 it is still at the tie, and the chip's spike there is followed
    expect(run(0.99999, chipAt([3]))).toEqual([3]);
    expect(run(0.99999, chipAt([]))).toEqual([]);
  });
  it('v 1e-5 above the threshold stays silent when the chip did; 1 % away the reference decides', () => {
    expect(run(1.00001)).toEqual([2]);
    expect(run(1.00001, chipAt([]))).toEqual([]);
    expect(run(0.99, chipAt([2]))).toEqual([]);
    expect(run(1.01, chipAt([]))).toEqual([2]);
  });
});
