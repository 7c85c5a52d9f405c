import { describe, expect, it } from 'vitest';
import type { CurrentLIFNode, FlatNode } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { refractorySteps } from '../../src/reference/kernels/current-lif.js';
import { chain, run, spikeSteps, trace1 } from './helpers.js';

/**
 * CurrentLIF (docs/semantics.md §2, Brian2-style): per step, input on receptor r jumps i_r, v integrates
 * (dv/dt = (v_rest − v + Σ i_r)/τm) unless refractory, currents decay, threshold (strict) and reset.
 */

function neuron(over: Partial<CurrentLIFNode> = {}): CurrentLIFNode {
  return {
    kind: 'CurrentLIF', name: 'P', shape: [1], tau_mem: f64([1e-3]), v_rest: f64([0]), v_reset: f64([0]), v_threshold: f64([1]),
    t_ref: f64([0]), tau_syn: f64([5e-4, 2.5e-4]), v_init: f64([0]), receptors: ['exc', 'inh'], ...over,
  };
}

/** SpikeSource 'src' of 1 neuron spiking at the given steps, and projections to receptors. */
function drive(steps: number, at: number[], proj: { name: string; w: number; receptor: number }[]): { nodes: FlatNode[]; edges: { from: string; to: string }[] } {
  const spikes = new Array(steps).fill(0);
  for (const s of at) spikes[s] = 1;
  const nodes: FlatNode[] = [{ kind: 'SpikeSource', name: 'src', shape: [1], spikes: f64(spikes, [steps, 1]) }];
  const edges: { from: string; to: string }[] = [];
  for (const p of proj) {
    nodes.push({
      kind: 'SparseLinear', name: p.name, in_size: 1, out_size: 1, indptr: Int32Array.from([0, 1]), indices: Int32Array.from([0]),
      weight: f64([p.w]), receptor: p.receptor,
    });
    edges.push({ from: 'src', to: p.name }, { from: p.name, to: 'P' });
  }
  return { nodes, edges };
}

const TRACES = { spikes: ['P'], traces: ['v', 'i', 'i_exc', 'i_inh'].map((v) => ({ node: 'P', var: v })) };

describe('CurrentLIF receptors', () => {
  // euler, dt 1e-4: dt/τm = 0.1; exc a = 1 − 0.2 = 0.8; inh a = 1 − 0.4 = 0.6
  // spike at step 0 through Ce (w 2 → exc) and Ci (w −1 → inh):
  //   step 0: i = (2, −1); v = 0 + 0.1·(0 − 0 + 1) = 0.1; decay → (1.6, −0.6)
  //   step 1: v = 0.1 + 0.1·(−0.1 + 1.0) = 0.19;  decay → (1.28, −0.36)
  //   step 2: v = 0.19 + 0.1·(−0.19 + 0.92) = 0.263; decay → (1.024, −0.216)
  it('euler: each projection jumps its own current, which decays with its own τ', () => {
    const { nodes, edges } = drive(3, [0], [{ name: 'Ce', w: 2, receptor: 0 }, { name: 'Ci', w: -1, receptor: 1 }]);
    const r = run([...nodes, neuron()], edges, [], 3, {}, TRACES);
    const v = trace1(r, 'P', 'v');
    [0.1, 0.19, 0.263].forEach((x, k) => expect(v[k]).toBeCloseTo(x, 14));
    const ie = trace1(r, 'P', 'i_exc');
    const ii = trace1(r, 'P', 'i_inh');
    [1.6, 1.28, 1.024].forEach((x, k) => expect(ie[k]).toBeCloseTo(x, 14));
    [-0.6, -0.36, -0.216].forEach((x, k) => expect(ii[k]).toBeCloseTo(x, 14));
    trace1(r, 'P', 'i').forEach((x, k) => expect(x).toBeCloseTo(ie[k]! + ii[k]!, 14));
    expect(spikeSteps(r, 'P')).toEqual([]);
  });

  it('exact: v equals a fine-step numerical solution of the ODE system over each step', () => {
    const tm = 1e-3;
    const taus = [5e-4, 2.5e-4];
    const { nodes, edges } = drive(4, [0, 2], [{ name: 'Ce', w: 2, receptor: 0 }, { name: 'Ci', w: -1, receptor: 1 }]);
    const r = run([...nodes, neuron({ v_rest: f64([0.3]), v_init: f64([-0.2]) })], edges, [], 4, { integrator: 'exact' }, TRACES);
    // RK4 with 4,000 sub-steps per step of dv/dt = (0.3 − v + ie + ii)/τm, di/dt = −i/τ
    let v = -0.2;
    let cur = [0, 0];
    const want: number[] = [];
    const dt = 1e-4;
    for (let s = 0; s < 4; s++) {
      if (s === 0 || s === 2) cur = [cur[0]! + 2, cur[1]! - 1];
      const n = 4000;
      const h = dt / n;
      const f = (vv: number, c: number[]): [number, number[]] => [(0.3 - vv + c[0]! + c[1]!) / tm, c.map((x, k) => -x / taus[k]!)];
      for (let k = 0; k < n; k++) {
        const [a1, b1] = f(v, cur);
        const [a2, b2] = f(v + (h / 2) * a1, cur.map((x, q) => x + (h / 2) * b1[q]!));
        const [a3, b3] = f(v + (h / 2) * a2, cur.map((x, q) => x + (h / 2) * b2[q]!));
        const [a4, b4] = f(v + h * a3, cur.map((x, q) => x + h * b3[q]!));
        v += (h / 6) * (a1 + 2 * a2 + 2 * a3 + a4);
        cur = cur.map((x, q) => x + (h / 6) * (b1[q]! + 2 * b2[q]! + 2 * b3[q]! + b4[q]!));
      }
      want.push(v);
    }
    const got = trace1(r, 'P', 'v');
    want.forEach((x, k) => expect(Math.abs(got[k]! - x)).toBeLessThan(1e-9));
    // and the currents decay exactly: i_exc after step 0 = 2·e^(−0.2)
    expect(trace1(r, 'P', 'i_exc')[0]).toBeCloseTo(2 * Math.exp(-0.2), 14);
  });

  it('exact with τ_syn = τ_mem uses the limit c = (dt/τm)·e^(−dt/τm)', () => {
    const { nodes, edges } = drive(1, [0], [{ name: 'Ce', w: 1, receptor: 0 }]);
    const r = run([...nodes, neuron({ tau_syn: f64([1e-3]), receptors: ['exc'] })], edges, [], 1, { integrator: 'exact' }, { traces: [{ node: 'P', var: 'v' }] });
    expect(trace1(r, 'P', 'v')[0]).toBeCloseTo(0.1 * Math.exp(-0.1), 14);
  });

  it('a projection naming a receptor the neuron lacks is refused (E_BAD_RECEPTOR)', () => {
    const { nodes, edges } = drive(1, [0], [{ name: 'Cx', w: 1, receptor: 2 }]);
    expect(() => run([...nodes, neuron()], edges, [], 1)).toThrow(/E_BAD_RECEPTOR.*receptor 2/);
  });
});

describe('CurrentLIF refractoriness', () => {
  it('refractory steps are Brian2 timestep(t_ref, dt): 3e-4/1e-4 counts as 3 despite rounding', () => {
    expect(3e-4 / 1e-4).toBeLessThan(3);
    expect(refractorySteps(3e-4, 1e-4)).toBe(3);
    expect(refractorySteps(5e-3, 1e-4)).toBe(50);
    expect(refractorySteps(0, 1e-4)).toBe(0);
    expect(refractorySteps(2.5e-4, 1e-4)).toBe(2);
  });

  // one huge excitatory kick at step 0 (w 100, τ 1 s: almost no decay) keeps v far above threshold
  // whenever it integrates: step k integrates v = v_reset + 0.1·(0 − v_reset + i) > 1.
  const kick = (tRef: number, vReset = 0): ReturnType<typeof run> => {
    const { nodes, edges } = drive(12, [0], [{ name: 'Ce', w: 100, receptor: 0 }]);
    return run([...nodes, neuron({ t_ref: f64([tRef]), v_reset: f64([vReset]), tau_syn: f64([1]), receptors: ['exc'] })], edges, [], 12, {}, {
      spikes: ['P'], traces: [{ node: 'P', var: 'v' }, { node: 'P', var: 'i' }],
    });
  };

  it('without refractoriness it fires every step', () => {
    expect(spikeSteps(kick(0), 'P')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('t_ref = 3 steps: spike at s, no integration at s+1, s+2, integration resumes at s+3 (Brian2: t − lastspike ≥ t_ref)', () => {
    const r = kick(3e-4);
    expect(spikeSteps(r, 'P')).toEqual([0, 3, 6, 9]);
    // currents keep decaying while refractory: i = 100·(1 − 1e-4)^(k+1)
    trace1(r, 'P', 'i').forEach((x, k) => expect(x).toBeCloseTo(100 * (1 - 1e-4) ** (k + 1), 10));
  });

  it('no spike while refractory even when v_reset is above threshold; v is held at v_reset', () => {
    const r = kick(3e-4, 2);
    expect(spikeSteps(r, 'P')).toEqual([0, 3, 6, 9]);
    expect(trace1(r, 'P', 'v').slice(0, 4)).toEqual([2, 2, 2, 2]);
  });

  it('v starts at v_init, or at 0 when v_init is absent (docs/semantics.md §2: state starts at 0)', () => {
    const { v_init: _unused, ...noInit } = neuron({ v_rest: f64([-0.07]) });
    const r = run([noInit as FlatNode], [], [], 1, {}, { traces: [{ node: 'P', var: 'v' }] });
    expect(trace1(r, 'P', 'v')[0]).toBeCloseTo(0 + 0.1 * (-0.07 - 0), 15); // one step from 0 towards v_rest
    const r2 = run([neuron({ v_init: f64([0.5]) })], [], [], 1, {}, { traces: [{ node: 'P', var: 'v' }] });
    expect(trace1(r2, 'P', 'v')[0]).toBeCloseTo(0.5 + 0.1 * (0 - 0.5), 15); // decays towards v_rest 0
  });

  it('a recurrent projection acts one step later, like Brian2 (on_pre applied after the update of the spike step)', () => {
    // P excites itself through Ce (w 100): an initial v of 2 fires at step 0, the kick arrives at step 1
    const self: FlatNode = {
      kind: 'SparseLinear', name: 'Ce', in_size: 1, out_size: 1, indptr: Int32Array.from([0, 1]), indices: Int32Array.from([0]), weight: f64([100]), receptor: 0,
    };
    const r = run([neuron({ v_init: f64([20]), tau_syn: f64([1e-4]), receptors: ['exc'], t_ref: f64([0]) }), self], [...chain('P', 'Ce'), { from: 'Ce', to: 'P' }], [], 3, {}, {
      spikes: ['P'], traces: [{ node: 'P', var: 'v' }],
    });
    // step 0: v = 20 + 0.1·(−20) = 18 > 1 → spike; step 1: i = 100, v = 0 + 0.1·100 = 10 → spike;
    // exc a = 1 − 1e-4/1e-4 = 0 (euler): the current is gone after each step; step 2 gets the kick of step 1
    expect(spikeSteps(r, 'P')).toEqual([0, 1, 2]);
  });
});

describe('CurrentLIF refractory input rule (--refractory-input)', () => {
  // euler, dt 1e-4: dt/τm = 0.1, τ_syn 5e-4 → a = 0.8; v_init 20 fires at step 0 (v = 20 + 0.1·(−20) = 18 > 1);
  // input w 1 on exc at steps 1, 2, 3 (delay 0: it acts in its own step)
  const after = (tRef: number, rule?: 'integrate' | 'drop'): ReturnType<typeof run> => {
    const { nodes, edges } = drive(5, [1, 2, 3], [{ name: 'Ce', w: 1, receptor: 0 }]);
    return run([...nodes, neuron({ v_init: f64([20]), t_ref: f64([tRef]), tau_syn: f64([5e-4]), receptors: ['exc'] })], edges, [], 5, rule ? { refractoryInput: rule } : {}, {
      spikes: ['P'], traces: [{ node: 'P', var: 'v' }, { node: 'P', var: 'i' }],
    });
  };
  const close = (got: number[], want: number[]): void => want.forEach((x, k) => expect(got[k]).toBeCloseTo(x, 14));

  it('integrate (default): input during the 2 refractory steps still jumps the current, which decays', () => {
    // step 1: refractory (count 2 → 1), i = 1 → 0.8, v held at 0; step 2: count 1 → 0, integrates:
    // i = 1.8, v = 0.1·1.8 = 0.18, i → 1.44; step 3: i = 2.44, v = 0.18 + 0.1·(2.44 − 0.18) = 0.406, i → 1.952;
    // step 4: v = 0.406 + 0.1·(1.952 − 0.406) = 0.5606, i → 1.5616
    for (const r of [after(2e-4, 'integrate'), after(2e-4)]) {
      expect(spikeSteps(r, 'P')).toEqual([0]);
      close(trace1(r, 'P', 'v'), [0, 0, 0.18, 0.406, 0.5606]);
      close(trace1(r, 'P', 'i'), [0, 0.8, 1.44, 1.952, 1.5616]);
    }
  });

  it('drop: input arriving at steps t_s+1 … t_s+refractorySteps (1, 2) is discarded; step 3 counts', () => {
    // steps 1, 2: i stays 0, v 0 (step 2 integrates v = 0 + 0.1·0); step 3: i = 1, v = 0.1, i → 0.8;
    // step 4: v = 0.1 + 0.1·(0.8 − 0.1) = 0.17, i → 0.64
    const r = after(2e-4, 'drop');
    expect(spikeSteps(r, 'P')).toEqual([0]);
    close(trace1(r, 'P', 'v'), [0, 0, 0, 0.1, 0.17]);
    close(trace1(r, 'P', 'i'), [0, 0, 0, 0.8, 0.64]);
  });

  it('drop with t_ref < dt: only the input of the step right after the spike is discarded (Brian2 refractory=0)', () => {
    // integrate: step 1: i = 1, v = 0.1, i → 0.8; step 2: i = 1.8, v = 0.1 + 0.1·1.7 = 0.27
    close(trace1(after(0, 'integrate'), 'P', 'v').slice(0, 3), [0, 0.1, 0.27]);
    // drop: step 1's input is gone, v integrates from 0 with i = 0; step 2: i = 1, v = 0.1; step 3: i = 1.8, v = 0.27
    const r = after(0, 'drop');
    close(trace1(r, 'P', 'v').slice(0, 4), [0, 0, 0.1, 0.27]);
    expect(spikeSteps(r, 'P')).toEqual([0]);
  });

  it('drop changes nothing for a neuron that never fires', () => {
    const { nodes, edges } = drive(6, [0, 2, 3], [{ name: 'Ce', w: 1, receptor: 0 }, { name: 'Ci', w: -0.5, receptor: 1 }]);
    const go = (rule: 'integrate' | 'drop'): ReturnType<typeof run> => run([...nodes, neuron({ t_ref: f64([5e-4]) })], edges, [], 6, { refractoryInput: rule }, TRACES);
    const [a, b] = [go('integrate'), go('drop')];
    expect(spikeSteps(a, 'P')).toEqual([]);
    expect(trace1(b, 'P', 'v')).toEqual(trace1(a, 'P', 'v'));
    expect(trace1(b, 'P', 'i')).toEqual(trace1(a, 'P', 'i'));
  });

  it('an unknown rule is one E_BAD_OPTION naming --refractory-input', () => {
    expect(() => run([neuron()], [], [], 1, { refractoryInput: 'block' as 'drop' })).toThrow(/E_BAD_OPTION.*--refractory-input 'block'/);
  });
});
