import type { CubaLIFNode, CubaLINode, IFNode, INode, LIFNode, LINode } from '../../graph/graph.js';
import { numel, perNeuron, type FloatTensor } from '../../graph/tensor.js';
import { decay, type RunConfig } from '../config.js';
import type { Kernel, KernelContext, ThresholdDecider } from '../kernel.js';

/**
 * The NIR neuron kinds, exactly as docs/semantics.md §2 writes them (a = decay for τ, §1):
 *   I        v ← v + R·x (ifMode=step) or v + dt·R·x (ode); y = v
 *   IF       as I, then z = [v > v_threshold]; reset where z; y = z
 *   LI       v ← v_leak + (v − v_leak)·a + R·x·(1 − a); y = v
 *   LIF      as LI, then threshold and reset; y = z
 *   CubaLI   i ← i·a_syn + w_in·x·(1 − a_syn); v ← v_leak + (v − v_leak)·a_mem + R·i·(1 − a_mem); y = v
 *   CubaLIF  as CubaLI, then threshold and reset on v; y = z
 * Reset: `zero` v ← v_reset (0 when the node has none), `subtract` v ← v − v_threshold.
 * Spiking is strict (>); the recorded v is the value after reset; state starts at 0.
 */

function arr(t: FloatTensor | undefined, n: number, fallback: number): Float64Array {
  return t ? perNeuron(t, n) : new Float64Array(n).fill(fallback);
}

function decays(cfg: RunConfig, tau: Float64Array): { a: Float64Array; b: Float64Array } {
  const a = new Float64Array(tau.length);
  const b = new Float64Array(tau.length);
  for (let k = 0; k < tau.length; k++) {
    a[k] = decay(cfg.integrator, cfg.dt, tau[k]!);
    b[k] = 1 - a[k]!;
  }
  return { a, b };
}

/** Threshold and reset, shared by IF, LIF and CubaLIF. */
function fire(cfg: RunConfig, v: Float64Array, th: Float64Array, vr: Float64Array, y: Float64Array, t: number, decide: ThresholdDecider | undefined): void {
  const n = v.length;
  if (decide) {
    const subtract = cfg.reset === 'subtract';
    for (let k = 0; k < n; k++) {
      if (decide(t, k, v[k]!, th[k]!)) {
        v[k] = subtract ? v[k]! - th[k]! : vr[k]!;
        y[k] = 1;
      } else y[k] = 0;
    }
  } else if (cfg.reset === 'zero') {
    for (let k = 0; k < n; k++) {
      if (v[k]! > th[k]!) {
        v[k] = vr[k]!;
        y[k] = 1;
      } else y[k] = 0;
    }
  } else {
    for (let k = 0; k < n; k++) {
      if (v[k]! > th[k]!) {
        v[k] = v[k]! - th[k]!;
        y[k] = 1;
      } else y[k] = 0;
    }
  }
}

export function integratorKernel(node: INode | IFNode, ctx: KernelContext): Kernel {
  const n = numel(ctx.outShape);
  const { cfg } = ctx;
  const r = perNeuron(node.r, n);
  // ode: v + dt·R·x, evaluated as (dt·R)·x; step: v + R·x
  const gain = new Float64Array(n);
  for (let k = 0; k < n; k++) gain[k] = cfg.ifMode === 'ode' ? cfg.dt * r[k]! : r[k]!;
  const v = new Float64Array(n);
  const spiking = node.kind === 'IF';
  const th = spiking ? perNeuron((node as IFNode).v_threshold, n) : new Float64Array(0);
  const vr = spiking ? arr((node as IFNode).v_reset, n, 0) : new Float64Array(0);
  return {
    size: n,
    receptors: 1,
    spiking,
    vars: { v },
    step(t, x, y) {
      for (let k = 0; k < n; k++) v[k] = v[k]! + gain[k]! * x[k]!;
      if (spiking) fire(cfg, v, th, vr, y, t, ctx.decide);
      else y.set(v);
    },
  };
}

export function leakyKernel(node: LINode | LIFNode, ctx: KernelContext): Kernel {
  const n = numel(ctx.outShape);
  const { cfg } = ctx;
  const { a, b } = decays(cfg, perNeuron(node.tau, n));
  const r = perNeuron(node.r, n);
  const vl = perNeuron(node.v_leak, n);
  const v = new Float64Array(n);
  const spiking = node.kind === 'LIF';
  const th = spiking ? perNeuron((node as LIFNode).v_threshold, n) : new Float64Array(0);
  const vr = spiking ? arr((node as LIFNode).v_reset, n, 0) : new Float64Array(0);
  return {
    size: n,
    receptors: 1,
    spiking,
    vars: { v },
    step(t, x, y) {
      for (let k = 0; k < n; k++) v[k] = vl[k]! + (v[k]! - vl[k]!) * a[k]! + r[k]! * x[k]! * b[k]!;
      if (spiking) fire(cfg, v, th, vr, y, t, ctx.decide);
      else y.set(v);
    },
  };
}

export function cubaKernel(node: CubaLINode | CubaLIFNode, ctx: KernelContext): Kernel {
  const n = numel(ctx.outShape);
  const { cfg } = ctx;
  const syn = decays(cfg, perNeuron(node.tau_syn, n));
  const mem = decays(cfg, perNeuron(node.tau_mem, n));
  const r = perNeuron(node.r, n);
  const vl = perNeuron(node.v_leak, n);
  const win = arr(node.w_in, n, 1);
  const v = new Float64Array(n);
  const i = new Float64Array(n);
  const spiking = node.kind === 'CubaLIF';
  const th = spiking ? perNeuron((node as CubaLIFNode).v_threshold, n) : new Float64Array(0);
  const vr = spiking ? arr((node as CubaLIFNode).v_reset, n, 0) : new Float64Array(0);
  const [as, bs, am, bm] = [syn.a, syn.b, mem.a, mem.b];
  return {
    size: n,
    receptors: 1,
    spiking,
    vars: { v, i },
    step(t, x, y) {
      for (let k = 0; k < n; k++) {
        i[k] = i[k]! * as[k]! + win[k]! * x[k]! * bs[k]!;
        v[k] = vl[k]! + (v[k]! - vl[k]!) * am[k]! + r[k]! * i[k]! * bm[k]!;
      }
      if (spiking) fire(cfg, v, th, vr, y, t, ctx.decide);
      else y.set(v);
    },
  };
}
