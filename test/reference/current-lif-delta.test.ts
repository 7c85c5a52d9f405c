import { describe, expect, it } from 'vitest';
import { analyze, type CurrentLIFNode, type FlatNode } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { chain, pulses, run, spikeSteps, trace1 } from './helpers.js';

/**
 * Delta receptors (docs/semantics.md §2): a CurrentLIF receptor with tau_syn 0 has no current; its
 * input is added to v at the start of the step it arrives (v ← v + w), then v integrates as usual.
 * dt 1e-4, tau_mem 1e-3: euler a = 0.9, exact a = e^(−0.1).
 */

function neuron(over: Partial<CurrentLIFNode> = {}): CurrentLIFNode {
  return {
    kind: 'CurrentLIF', name: 'P', shape: [1], tau_mem: f64([1e-3]), v_rest: f64([0]), v_reset: f64([0]), v_threshold: f64([1]),
    t_ref: f64([0]), tau_syn: f64([0]), v_init: f64([0]), receptors: ['d'], ...over,
  };
}

/** SpikeSource 'src' of 1 neuron spiking at the given steps, with weights per step, into receptors of P. */
function drive(steps: number, proj: { name: string; w: number; receptor: number; at: number[] }[]): { nodes: FlatNode[]; edges: { from: string; to: string }[] } {
  const nodes: FlatNode[] = [];
  const edges: { from: string; to: string }[] = [];
  proj.forEach((p, j) => {
    const spikes = new Array<number>(steps).fill(0);
    for (const s of p.at) spikes[s] = 1;
    nodes.push({ kind: 'SpikeSource', name: `src${j}`, shape: [1], spikes: f64(spikes, [steps, 1]) });
    nodes.push({
      kind: 'SparseLinear', name: p.name, in_size: 1, out_size: 1, indptr: Int32Array.from([0, 1]), indices: Int32Array.from([0]),
      weight: f64([p.w]), receptor: p.receptor,
    });
    edges.push({ from: `src${j}`, to: p.name }, { from: p.name, to: 'P' });
  });
  return { nodes, edges };
}

const REC = { spikes: ['P'], traces: [{ node: 'P', var: 'v' }, { node: 'P', var: 'i_d' }] };

describe('CurrentLIF delta receptor (tau_syn 0)', () => {
  it('euler: one input of weight 0.5 at step 2 makes v jump by 0.5, integrated in that step, then the membrane alone decays it', () => {
    const { nodes, edges } = drive(6, [{ name: 'C', w: 0.5, receptor: 0, at: [2] }]);
    const r = run([...nodes, neuron()], edges, [], 6, {}, REC);
    // step 2: v = (0 + 0.5) + 0.1·(0 − 0.5) = 0.45; then ×0.9 per step
    const want = [0, 0, 0.45, 0.405, 0.3645, 0.32805];
    trace1(r, 'P', 'v').forEach((x, k) => expect(x).toBeCloseTo(want[k]!, 14));
    expect(trace1(r, 'P', 'i_d')).toEqual([0, 0, 0, 0, 0, 0]); // no current
  });

  it('exact: v = w·e^(−dt/τm)^(k+1) after the jump — no c_r, no synaptic filter', () => {
    const { nodes, edges } = drive(5, [{ name: 'C', w: 0.5, receptor: 0, at: [1] }]);
    const r = run([...nodes, neuron()], edges, [], 5, { integrator: 'exact' }, REC);
    const want = [0, 0.5 * Math.exp(-0.1), 0.5 * Math.exp(-0.2), 0.5 * Math.exp(-0.3), 0.5 * Math.exp(-0.4)];
    trace1(r, 'P', 'v').forEach((x, k) => expect(x).toBeCloseTo(want[k]!, 14));
  });

  it('a delta receptor next to a current receptor: below threshold v is the sum of the two alone (each keeps its own dynamics)', () => {
    for (const integrator of ['euler', 'exact'] as const) {
      const two = { tau_syn: f64([0, 5e-4]), receptors: ['d', 'exc'] };
      const both = drive(8, [{ name: 'Cd', w: 0.3, receptor: 0, at: [1, 4] }, { name: 'Ce', w: 0.8, receptor: 1, at: [2] }]);
      const onlyD = drive(8, [{ name: 'Cd', w: 0.3, receptor: 0, at: [1, 4] }]);
      const onlyE = drive(8, [{ name: 'Ce', w: 0.8, receptor: 1, at: [2] }]);
      const rec = { traces: [{ node: 'P', var: 'v' }, { node: 'P', var: 'i_exc' }] };
      const v = (g: typeof both) => trace1(run([...g.nodes, neuron(two)], g.edges, [], 8, { integrator }, rec), 'P', 'v');
      const vd = v(onlyD);
      const ve = v(onlyE);
      expect(Math.max(...ve)).toBeGreaterThan(0.05);
      v(both).forEach((x, k) => expect(x).toBeCloseTo(vd[k]! + ve[k]!, 14));
    }
  });

  it('while refractory a delta input is dropped (Brian2: v (unless refractory) is written only where not_refractory), up to the step integration resumes', () => {
    // w 2 at step 0: v = 1.8 > 1 → spike, v = 0; t_ref 3 steps: held at 1, 2, integration resumes at 3
    for (const at of [1, 2, 3]) {
      const { nodes, edges } = drive(6, [{ name: 'Cb', w: 2, receptor: 0, at: [0] }, { name: 'Cs', w: 0.3, receptor: 0, at: [at] }]);
      const r = run([...nodes, neuron({ t_ref: f64([3e-4]) })], edges, [], 6, {}, REC);
      expect(spikeSteps(r, 'P')).toEqual([0]);
      expect(trace1(r, 'P', 'v'), `input at step ${at}`).toEqual([0, 0, 0, 0, 0, 0]);
    }
    // the first step after that counts: 0.3 at step 4 → 0.27, then ×0.9
    const { nodes, edges } = drive(6, [{ name: 'Cb', w: 2, receptor: 0, at: [0] }, { name: 'Cs', w: 0.3, receptor: 0, at: [4] }]);
    const r = run([...nodes, neuron({ t_ref: f64([3e-4]) })], edges, [], 6, {}, REC);
    const want = [0, 0, 0, 0, 0.27, 0.243];
    trace1(r, 'P', 'v').forEach((x, k) => expect(x).toBeCloseTo(want[k]!, 14));
  });

  it('the step after a spike drops a delta input with either reset, also when t_ref < dt (Brian2 delivers it after its threshold)', () => {
    const g = drive(4, [{ name: 'Cb', w: 2, receptor: 0, at: [0] }, { name: 'Cs', w: 0.3, receptor: 0, at: [1] }]);
    const zero = run([...g.nodes, neuron()], g.edges, [], 4, { reset: 'zero' }, REC);
    expect(spikeSteps(zero, 'P')).toEqual([0]);
    expect(trace1(zero, 'P', 'v')).toEqual([0, 0, 0, 0]);
    // subtract: 1.8 − (1 − 0) = 0.8, then ×0.9 per step with no jump
    const sub = run([...g.nodes, neuron()], g.edges, [], 4, { reset: 'subtract' }, REC);
    [0.8, 0.72, 0.648, 0.5832].forEach((x, k) => expect(trace1(sub, 'P', 'v')[k]).toBeCloseTo(x, 14));
    // t_ref 0: two steps after the spike the input counts: v = (0 + 0.3)·0.9
    const later = drive(4, [{ name: 'Cb', w: 2, receptor: 0, at: [0] }, { name: 'Cs', w: 0.3, receptor: 0, at: [2] }]);
    expect(trace1(run([...later.nodes, neuron()], later.edges, [], 4, {}, REC), 'P', 'v')[2]).toBeCloseTo(0.27, 14);
  });

  it('a recurrent delta synapse onto the spiking neuron itself is dropped (the autapse case of Brian2)', () => {
    // P (v_init 2) spikes at step 0; its own spike reaches it at step 1 through Cs (cycle-closing edge): dropped
    const self: FlatNode = {
      kind: 'SparseLinear', name: 'Cs', in_size: 1, out_size: 1, indptr: Int32Array.from([0, 1]), indices: Int32Array.from([0]), weight: f64([0.5]), receptor: 0,
    };
    const r = run([neuron({ v_init: f64([2]) }), self], [...chain('P', 'Cs'), { from: 'Cs', to: 'P' }], [], 3, { reset: 'subtract' }, REC);
    // step 0: 2·0.9 = 1.8 → spike → 0.8; step 1: 0.8·0.9 = 0.72 (no +0.5); step 2: 0.648
    [0.8, 0.72, 0.648].forEach((x, k) => expect(trace1(r, 'P', 'v')[k]).toBeCloseTo(x, 14));
  });
});

describe('CubaLIF / CubaLI with tau_syn 0: a_syn = 0, i = w_in·x (an LIF with r = R·w_in)', () => {
  it('v equals an LIF driven by the same input, both integrators', () => {
    for (const integrator of ['euler', 'exact'] as const) {
      const input = pulses('in', 8, [1, 2, 5], 0.7);
      const lin: FlatNode = { kind: 'Linear', name: 'w', weight: f64([1], [1, 1]) };
      const cuba: FlatNode = { kind: 'CubaLIF', name: 'N', tau_syn: f64([0]), tau_mem: f64([1e-3]), r: f64([2]), v_leak: f64([0.1]), v_threshold: f64([100]), w_in: f64([1.5]) };
      const lif: FlatNode = { kind: 'LIF', name: 'N', tau: f64([1e-3]), r: f64([3]), v_leak: f64([0.1]), v_threshold: f64([100]) };
      const rec = { traces: [{ node: 'N', var: 'v' }] };
      const go = (n: FlatNode) => trace1(run([{ kind: 'Input', name: 'in', shape: [1] }, lin, n], chain('in', 'w', 'N'), [input], 8, { integrator }, rec), 'N', 'v');
      const want = go(lif);
      expect(Math.max(...want)).toBeGreaterThan(0.2);
      go(cuba).forEach((x, k) => expect(x).toBeCloseTo(want[k]!, 13));
    }
  });

  it('euler with tau_syn 0 gives no W_EULER_UNSTABLE (there is nothing to decay)', () => {
    const r = run([{ kind: 'Input', name: 'in', shape: [1] }, { kind: 'CubaLI', name: 'N', tau_syn: f64([0]), tau_mem: f64([1e-3]), r: f64([1]), v_leak: f64([0]) }], chain('in', 'N'), [], 2);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('W_EULER_UNSTABLE');
  });
});

describe('validation', () => {
  it('tau_syn 0 is accepted on CurrentLIF, CubaLIF and CubaLI; a negative one is refused naming the field, with a hint', () => {
    const nodes: FlatNode[] = [
      neuron({ tau_syn: f64([0, 5e-3]), receptors: ['d', 'exc'] }),
      { kind: 'CubaLIF', name: 'F', tau_syn: f64([0]), tau_mem: f64([1e-3]), r: f64([1]), v_leak: f64([0]), v_threshold: f64([1]) },
      { kind: 'CubaLI', name: 'L', tau_syn: f64([0]), tau_mem: f64([1e-3]), r: f64([1]), v_leak: f64([0]) },
    ];
    expect(analyze({ nodes, edges: [] }).diagnostics.filter((d) => d.severity !== 'warning')).toEqual([]);
    for (const n of nodes) {
      const bad = { ...n, tau_syn: f64(n.kind === 'CurrentLIF' ? [0, -5e-3] : [-1e-3]) } as FlatNode;
      const d = analyze({ nodes: [bad], edges: [] }).diagnostics.filter((x) => x.code === 'E_NEGATIVE');
      expect(d.length, n.kind).toBe(1);
      expect(d[0]).toMatchObject({ node: n.name, field: 'tau_syn' });
      expect(d[0]!.hint).toMatch(/delta/);
    }
  });
});
