import type { CurrentLIFNode } from '../../graph/graph.js';
import { numel, perNeuron } from '../../graph/tensor.js';
import type { Kernel, KernelContext } from '../kernel.js';

/** Brian2's timestep(t, dt): int((t + 1e-3·dt)/dt), the number of whole steps in t. */
export function refractorySteps(tRef: number, dt: number): number {
  return Math.floor((tRef + 1e-3 * dt) / dt);
}

/**
 * CurrentLIF (docs/semantics.md §2, Brian2-style CUBA), one step t, per neuron:
 *  1. i_r ← i_r + x_r for every receptor r (x_r: the summed input on receptor r at step t;
 *     Brian2's `ge += w`, which Brian2 applies after its state update of the step the spike was
 *     sent in, i.e. before the next step's update — the same point in time). With
 *     refractoryInput=drop, x_r is discarded instead when the neuron is refractory at the start of
 *     step t (t_s < t ≤ t_s + max(1, refractorySteps) for its last spike t_s): Brian2's
 *     `ge += w*int(not_refractory)`, whose not_refractory is False from the spike's step on.
 *  2. unless refractory, integrate v over dt with the currents after the jump:
 *       exact: v ← v_rest + (v − v_rest)·e^(−dt/τm) + Σ_r i_r·c_r,
 *              c_r = τ_r/(τ_r − τm)·(e^(−dt/τ_r) − e^(−dt/τm))   ((dt/τm)·e^(−dt/τm) when τ_r = τm)
 *              — the exact solution over one step of dv/dt = (v_rest − v + Σ i_r)/τm with
 *              di_r/dt = −i_r/τ_r, as Brian2's method='exact' computes it;
 *       euler: v ← v + (dt/τm)·(v_rest − v + Σ_r i_r).
 *  3. i_r ← i_r·e^(−dt/τ_r) (exact) or i_r·(1 − dt/τ_r) (euler); currents decay while refractory.
 *  4. spike if not refractory and v > v_threshold; then v ← v_reset (reset=zero) or
 *     v ← v − (v_threshold − v_reset) (reset=subtract), and the neuron is refractory while
 *     t' − t_spike < refractorySteps(t_ref) — Brian2's `timestep(t − lastspike) < timestep(refractory)`:
 *     v is held at its reset value for steps t_spike+1 … t_spike+refractorySteps−1, and integration
 *     resumes t_ref seconds after the spike.
 * A receptor r with tau_syn[r] = 0 is a delta synapse (PyNN's IF_curr_delta, Brian2's `on_pre: v += w`):
 * it has no current (i_r stays 0, no c_r, no decay); in step 1 its input goes to v instead,
 * v ← v + x_r, in receptor order and before step 2, so the jump is integrated (decayed by the
 * membrane) in the step it arrives, as Brian2 integrates a jump delivered at the end of the previous
 * step. It is dropped while the neuron is refractory, i.e. in steps t_spike+1 … t_spike+max(n, 1)
 * (n = refractorySteps): Brian2 writes a variable marked `(unless refractory)` only where
 * not_refractory, and that is false from the spike step's threshold on, so also for the delivery in
 * the spike step itself (t_ref < dt included); NEST's iaf_psc_delta drops them too by default.
 * v starts at v_init (default 0: docs/semantics.md §2, state starts at 0 unless given), currents at 0.
 * Recordable (end of step: v after reset, currents after their decay): v, i (Σ_r i_r) and
 * i_<receptor name or index>.
 */
export function currentLIFKernel(node: CurrentLIFNode, ctx: KernelContext): Kernel {
  const n = numel(node.shape);
  const { cfg } = ctx;
  const { dt } = cfg;
  const exact = cfg.integrator === 'exact';
  const R = node.tau_syn.data.length;
  const tauM = perNeuron(node.tau_mem, n);
  const vRest = perNeuron(node.v_rest, n);
  const vReset = perNeuron(node.v_reset, n);
  const vTh = perNeuron(node.v_threshold, n);
  const tRef = perNeuron(node.t_ref, n);
  const v = node.v_init ? Float64Array.from(perNeuron(node.v_init, n)) : new Float64Array(n);
  const refSteps = new Int32Array(n);
  for (let k = 0; k < n; k++) refSteps[k] = refractorySteps(tRef[k]!, dt);
  // steps left while refractory: set to refSteps at a spike, decremented at the start of each step
  const refLeft = new Int32Array(n);
  const aM = new Float64Array(n);
  const bM = new Float64Array(n); // euler: dt/τm
  for (let k = 0; k < n; k++) {
    aM[k] = Math.exp(-dt / tauM[k]!);
    bM[k] = dt / tauM[k]!;
  }
  const aSyn = new Float64Array(R);
  const delta = new Uint8Array(R); // 1: receptor r is a delta synapse (tau_syn 0)
  for (let r = 0; r < R; r++) {
    const ts = node.tau_syn.data[r]!;
    delta[r] = ts === 0 ? 1 : 0;
    aSyn[r] = ts === 0 ? 0 : exact ? Math.exp(-dt / ts) : 1 - dt / ts;
  }
  const anyDelta = delta.includes(1);
  // c[r·n + k]: weight of i_r in the exact v update
  const c = new Float64Array(R * n);
  if (exact) {
    for (let r = 0; r < R; r++) {
      const ts = node.tau_syn.data[r]!;
      if (ts === 0) continue; // a delta receptor has no current, so no c_r
      for (let k = 0; k < n; k++) {
        const tm = tauM[k]!;
        c[r * n + k] = ts === tm ? (dt / tm) * Math.exp(-dt / tm) : (ts / (ts - tm)) * (Math.exp(-dt / ts) - Math.exp(-dt / tm));
      }
    }
  }
  const cur = new Float64Array(R * n);
  const isum = new Float64Array(n);
  const vars: Record<string, Float64Array> = { v, i: isum };
  for (let r = 0; r < R; r++) vars[`i_${node.receptors?.[r] ?? r}`] = cur.subarray(r * n, (r + 1) * n);
  const subtract = cfg.reset === 'subtract';
  const decide = ctx.decide;
  const drop = cfg.refractoryInput === 'drop';
  // the count a spike sets: under drop at least 1, so that input arriving at the step after a spike
  // is discarded even when t_ref < dt (the count decides nothing else: 1 and 0 both integrate then)
  const refSet = Int32Array.from(refSteps, (r) => (drop ? Math.max(r, 1) : r));
  // 1 where the neuron spiked in the previous step (delta inputs are dropped then, even when t_ref < dt)
  const fired = new Uint8Array(anyDelta ? n : 0);
  return {
    size: n,
    receptors: R,
    spiking: true,
    vars,
    step(t, x, y) {
      // one fused pass per neuron (jump, integrate, decay, threshold): one sweep over memory
      for (let k = 0; k < n; k++) {
        let sum = 0; // Σ_r i_r after the jump (euler drive)
        let drive = 0; // Σ_r i_r·c_r (exact)
        let isumK = 0; // Σ_r i_r after the decay (recorded)
        let vk = v[k]!;
        let left = refLeft[k]!;
        const blocked = drop && left > 0;
        // delta inputs count only where Brian2's not_refractory held at their delivery: not refractory
        // in this step's terms before the count-down, and no spike in the previous step
        const jump = anyDelta && fired[k] === 0 && left === 0;
        for (let r = 0, j = k; r < R; r++, j += n) {
          if (delta[r] === 1) {
            if (jump) vk += x[j]!;
            continue;
          }
          const ij = blocked ? cur[j]! : cur[j]! + x[j]!;
          sum += ij;
          drive += ij * c[j]!;
          const decayed = ij * aSyn[r]!;
          cur[j] = decayed;
          isumK += decayed;
        }
        isum[k] = isumK;
        if (left > 0) refLeft[k] = --left;
        if (left > 0) {
          y[k] = 0;
          v[k] = vk;
          if (anyDelta) fired[k] = 0;
          continue;
        }
        vk = exact ? vRest[k]! + (vk - vRest[k]!) * aM[k]! + drive : vk + bM[k]! * (vRest[k]! - vk + sum);
        if (decide ? decide(t, k, vk, vTh[k]!) : vk > vTh[k]!) {
          vk = subtract ? vk - (vTh[k]! - vReset[k]!) : vReset[k]!;
          refLeft[k] = refSet[k]!;
          y[k] = 1;
        } else y[k] = 0;
        if (anyDelta) fired[k] = y[k]!;
        v[k] = vk;
      }
    },
  };
}
