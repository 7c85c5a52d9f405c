import { describe, expect, it } from 'vitest';
import { buildBig, buildCuba, CUBA } from '../../examples/cuba.js';
import { analyze, neuronCount, type CurrentLIFNode, type Graph, type SparseLinearNode } from '../../src/graph/graph.js';

function get<K extends 'SparseLinear' | 'CurrentLIF'>(g: Graph, name: string, kind: K): K extends 'SparseLinear' ? SparseLinearNode : CurrentLIFNode {
  const n = g.nodes.find((x) => x.name === name);
  if (!n || n.kind !== kind) throw new Error(`no ${kind} ${name}`);
  return n as K extends 'SparseLinear' ? SparseLinearNode : CurrentLIFNode;
}

describe('examples/cuba.ts: Vogels–Abbott CUBA as brian_bench.py defines it', () => {
  const g = buildCuba();
  const P = get(g, 'P', 'CurrentLIF');
  const Ce = get(g, 'Ce', 'SparseLinear');
  const Ci = get(g, 'Ci', 'SparseLinear');
  const N = 4000, NE = 3200;

  it('is one population of 4000 CurrentLIF neurons with the brian2 parameters, in volts and seconds', () => {
    const a = analyze(g);
    expect(a.diagnostics).toEqual([]);
    expect(neuronCount(g, a.shapes!)).toBe(N);
    expect(P.shape).toEqual([N]);
    expect(Array.from(P.tau_mem.data)).toEqual([0.02]);
    expect(Array.from(P.v_rest.data)).toEqual([-0.049]);
    expect(Array.from(P.v_reset.data)).toEqual([-0.06]);
    expect(Array.from(P.v_threshold.data)).toEqual([-0.05]);
    expect(Array.from(P.t_ref.data)).toEqual([0.005]);
    expect(Array.from(P.tau_syn.data)).toEqual([0.005, 0.01]);
    expect(P.receptors).toEqual(['exc', 'inh']);
  });
  it('has exc synapses only from rows < NE on receptor 0 and inh only from rows ≥ NE on receptor 1', () => {
    expect([Ce.in_size, Ce.out_size, Ci.in_size, Ci.out_size]).toEqual([N, N, N, N]);
    expect(Ce.receptor).toBe(0);
    expect(Ci.receptor).toBe(1);
    for (let i = NE; i <= N; i++) expect(Ce.indptr[i]).toBe(Ce.indices.length);
    for (let i = 0; i <= NE; i++) expect(Ci.indptr[i]).toBe(0);
    expect(g.edges).toEqual([{ from: 'P', to: 'Ce' }, { from: 'Ce', to: 'P' }, { from: 'P', to: 'Ci' }, { from: 'Ci', to: 'P' }]);
  });
  it('weights are we = 1.62 mV and wi = −9 mV (Brian ge += we, gi += wi)', () => {
    expect(new Set(Ce.weight.data).size).toBe(1);
    expect(new Set(Ci.weight.data).size).toBe(1);
    expect(Ce.weight.data[0]).toBeCloseTo(1.62e-3, 15);
    expect(Ci.weight.data[0]).toBeCloseTo(-9e-3, 15);
    expect(CUBA.we80).toBeCloseTo(0.00162, 15);
  });
  it('has ≈ N·fanout synapses, p = 0.02 per pair, within 5 standard deviations', () => {
    const p = 0.02;
    for (const [proj, pre] of [[Ce, NE], [Ci, N - NE]] as const) {
      const mean = pre * N * p;
      expect(Math.abs(proj.indices.length - mean)).toBeLessThan(5 * Math.sqrt(mean * (1 - p)));
    }
    const total = Ce.indices.length + Ci.indices.length;
    expect(Math.abs(total - N * 80)).toBeLessThan(5 * Math.sqrt(N * 80));
  });
  it('initialises v uniformly in [Vr, Vt] from the counter RNG', () => {
    const v = Array.from(P.v_init!.data);
    expect(v).toHaveLength(N);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.06);
    expect(Math.max(...v)).toBeLessThanOrEqual(-0.05);
    const mean = v.reduce((a, b) => a + b, 0) / N;
    expect(Math.abs(mean + 0.055)).toBeLessThan(5 * (0.01 / Math.sqrt(12 * N)));
    // both ends of the range are reached
    expect(Math.min(...v)).toBeLessThan(-0.0599);
    expect(Math.max(...v)).toBeGreaterThan(-0.0501);
  });
  it('is deterministic for a seed and differs between seeds', () => {
    const again = buildCuba();
    const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (x: number, i: number) => x === b[i]);
    expect(same(get(again, 'Ce', 'SparseLinear').indices, Ce.indices)).toBe(true);
    expect(same(get(again, 'Ci', 'SparseLinear').indptr, Ci.indptr)).toBe(true);
    expect(same(get(again, 'P', 'CurrentLIF').v_init!.data, P.v_init!.data)).toBe(true);
    const other = buildCuba({ seed: 1 });
    expect(Array.from(get(other, 'Ce', 'SparseLinear').indices.subarray(0, 100))).not.toEqual(Array.from(Ce.indices.subarray(0, 100)));
  });
  it('scales p = fanout/N and weights by 80/fanout for other sizes', () => {
    const s = buildCuba({ n: 1000, fanout: 40, seed: 3 });
    const e = get(s, 'Ce', 'SparseLinear');
    expect(e.weight.data[0]).toBeCloseTo(2 * 1.62e-3, 15);
    expect(get(s, 'Ci', 'SparseLinear').weight.data[0]).toBeCloseTo(-18e-3, 15);
    const syn = e.indices.length + get(s, 'Ci', 'SparseLinear').indices.length;
    expect(Math.abs(syn - 40_000)).toBeLessThan(5 * Math.sqrt(40_000));
  });
  it('builds the 100k × 100 workload (time printed, not asserted)', () => {
    const t0 = performance.now();
    const big = buildBig(100_000, 100);
    const ms = performance.now() - t0;
    const syn = get(big, 'Ce', 'SparseLinear').indices.length + get(big, 'Ci', 'SparseLinear').indices.length;
    console.log(`buildBig(100000, 100): ${syn} synapses in ${ms.toFixed(0)} ms`);
    expect(Math.abs(syn - 10_000_000)).toBeLessThan(5 * Math.sqrt(10_000_000));
  });
});
