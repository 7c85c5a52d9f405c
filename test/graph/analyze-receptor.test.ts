import { describe, expect, it } from 'vitest';
import { analyze, type FlatNode, type Graph } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';

describe('analyze: receptors', () => {
  const lif = (name: string, receptors: number): FlatNode => ({
    kind: 'CurrentLIF', name, shape: [1], tau_mem: f64([0.02]), v_rest: f64([0]), v_reset: f64([0]),
    v_threshold: f64([1]), t_ref: f64([0]), tau_syn: f64(new Array<number>(receptors).fill(0.005)),
  });
  const graph = (receptor: number): Graph => ({
    nodes: [
      { kind: 'Input', name: 'in', shape: [1] },
      { kind: 'SparseLinear', name: 'proj', in_size: 1, out_size: 1, indptr: Int32Array.from([0, 1]), indices: Int32Array.from([0]), weight: f64([1]), receptor },
      lif('a', 3), lif('b', 2),
    ],
    edges: [{ from: 'in', to: 'proj' }, { from: 'proj', to: 'a' }, { from: 'proj', to: 'b' }],
  });
  it('accepts a receptor every CurrentLIF target has', () => {
    expect(analyze(graph(1)).diagnostics).toEqual([]);
  });
  it('refuses a receptor one target lacks, naming the projection and the field', () => {
    const d = analyze(graph(2)).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'E_BAD_RECEPTOR', node: 'proj', field: 'receptor' });
    expect(d[0]!.message).toContain("'b' has 2 receptor(s)");
  });
});
