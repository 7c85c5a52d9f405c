import type { DelayNode } from '../../graph/graph.js';
import { numel, perNeuron } from '../../graph/tensor.js';
import type { Kernel, KernelContext } from '../kernel.js';

/** Steps of a Delay element: k = round(delay/dt) (Math.round). */
export function delaySteps(delaySeconds: number, dt: number): number {
  return Math.round(delaySeconds / dt);
}

/** Delay: y_t = x_{t−k}, k = round(delay/dt) per element; before step 0 its input's rest value (prime). A ring of K+1 past inputs. */
export function delayKernel(node: DelayNode, ctx: KernelContext): Kernel {
  const n = numel(ctx.outShape);
  const d = perNeuron(node.delay, n);
  const k = new Int32Array(n);
  let K = 0;
  for (let e = 0; e < n; e++) {
    // a delay of ≥ steps never delivers within the run: clamp (keeps the ring small)
    k[e] = Math.min(delaySteps(d[e]!, ctx.cfg.dt), ctx.cfg.steps);
    if (k[e]! > K) K = k[e]!;
  }
  const depth = K + 1;
  const ring = new Float64Array(depth * n);
  let rest = new Float64Array(n);
  let prev = rest;
  return {
    size: n,
    receptors: 1,
    spiking: false,
    vars: {},
    step(t, x, y) {
      ring.set(x.length === n ? x : x.subarray(0, n), (t % depth) * n);
      for (let e = 0; e < n; e++) {
        const s = t - k[e]!;
        y[e] = s >= 0 ? ring[(s % depth) * n + e]! : s === -1 ? prev[e]! : rest[e]!;
      }
    },
    rest(x, y) {
      y.set(x.subarray(0, n));
    },
    prime(r, p) {
      rest = Float64Array.from(r.subarray(0, n));
      prev = p ? Float64Array.from(p.subarray(0, n)) : rest;
    },
  };
}
