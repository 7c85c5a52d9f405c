import type { SparseLinearNode } from '../../graph/graph.js';
import type { Kernel, KernelContext } from '../kernel.js';

/**
 * SparseLinear: y_t[j] = Σ_{s: i → j} w_s · x_{t − d_s}[i], CSR pre-major (the synapses of input i
 * are indptr[i] … indptr[i+1]−1), delays d_s in steps. A nonzero input x_t[i] is delivered at once
 * into a ring of D = max delay + 1 future output slots; y_t is slot t, read and then cleared.
 * Contributions to one slot add in (arrival step, input index, synapse) order.
 */
export function sparseLinearKernel(node: SparseLinearNode, ctx: KernelContext): Kernel {
  const nIn = node.in_size;
  const nOut = node.out_size;
  const ptr = Int32Array.from(node.indptr);
  const post = Int32Array.from(node.indices);
  const w = Float64Array.from(node.weight.data);
  let maxD = 0;
  const del = node.delay ? Int32Array.from(node.delay) : undefined;
  // a synapse delayed by ≥ steps never delivers within the run: clamp it to `steps` (its slot is
  // read only after the run) so that the ring stays small
  if (del) for (let s = 0; s < del.length; s++) {
    if (del[s]! > ctx.cfg.steps) del[s] = ctx.cfg.steps;
    if (del[s]! > maxD) maxD = del[s]!;
  }
  const depth = maxD + 1;
  const ring = new Float64Array(depth * nOut);
  return {
    size: nOut,
    receptors: 1,
    spiking: false,
    vars: {},
    step(t, x, y, counters) {
      if (depth === 1) {
        // no delays: accumulate straight into y (same order of additions as through the ring)
        y.fill(0);
        let events = 0;
        for (let i = 0; i < nIn; i++) {
          const xi = x[i]!;
          if (xi === 0) continue;
          const a = ptr[i]!;
          const b = ptr[i + 1]!;
          events += b - a;
          for (let s = a; s < b; s++) {
            const j = post[s]!;
            y[j] = y[j]! + w[s]! * xi;
          }
        }
        counters.synapticEvents += events;
        return;
      }
      const slot0 = t % depth;
      let events = 0;
      for (let i = 0; i < nIn; i++) {
        const xi = x[i]!;
        if (xi === 0) continue;
        const a = ptr[i]!;
        const b = ptr[i + 1]!;
        events += b - a;
        if (del) {
          for (let s = a; s < b; s++) {
            let slot = slot0 + del[s]!;
            if (slot >= depth) slot -= depth; // del ≤ depth − 1
            const at = slot * nOut + post[s]!;
            ring[at] = ring[at]! + w[s]! * xi;
          }
        } else {
          const base = slot0 * nOut;
          for (let s = a; s < b; s++) {
            const at = base + post[s]!;
            ring[at] = ring[at]! + w[s]! * xi;
          }
        }
      }
      counters.synapticEvents += events;
      const base = slot0 * nOut;
      for (let j = 0; j < nOut; j++) {
        y[j] = ring[base + j]!;
        ring[base + j] = 0;
      }
    },
    rest(x, y) {
      y.fill(0);
      for (let i = 0; i < nIn; i++)
        for (let s = ptr[i]!; s < ptr[i + 1]!; s++) y[post[s]!] = y[post[s]!]! + w[s]! * x[i]!;
    },
    prime(rest, prev) {
      // an input before step 0 arrives at steps 0 … d−1 through a synapse of delay d: the one of
      // step −1 (prev, or rest) at d − 1, the rest value at the steps before
      if (!del) return;
      for (let i = 0; i < nIn; i++) {
        const r = rest[i]!;
        const p1 = prev ? prev[i]! : r;
        if (r === 0 && p1 === 0) continue;
        for (let s = ptr[i]!; s < ptr[i + 1]!; s++) {
          const d = del[s]!;
          for (let k = 0; k < d; k++) {
            const at = k * nOut + post[s]!;
            ring[at] = ring[at]! + w[s]! * (k === d - 1 ? p1 : r);
          }
        }
      }
    },
  };
}
