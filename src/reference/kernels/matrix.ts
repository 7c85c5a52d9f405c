import type { AffineNode, LinearNode } from '../../graph/graph.js';
import { numel } from '../../graph/tensor.js';
import type { Kernel, KernelContext } from '../kernel.js';

/**
 * Affine y = W·x + b and Linear y = W·x, W [out, in] row-major, contracting the last input axis
 * (leading axes are a batch). For each output row the dot product is summed over the inputs in
 * index order, skipping zero inputs (spikes are mostly zero), then the bias is added.
 */
export function matrixKernel(node: AffineNode | LinearNode, ctx: KernelContext): Kernel {
  const out = node.weight.shape[0]!;
  const inn = node.weight.shape[1]!;
  const W = Float64Array.from(node.weight.data);
  const size = numel(ctx.outShape);
  const batch = size / out;
  const bias = new Float64Array(out);
  const hasBias = node.kind === 'Affine';
  if (node.kind === 'Affine') for (let o = 0; o < out; o++) bias[o] = node.bias.data.length === 1 ? node.bias.data[0]! : node.bias.data[o]!;
  const nz = new Int32Array(inn);
  return {
    size,
    receptors: 1,
    spiking: false,
    vars: {},
    step(_t, x, y, counters) {
      for (let b = 0; b < batch; b++) {
        const xo = b * inn;
        let m = 0;
        for (let i = 0; i < inn; i++) if (x[xo + i] !== 0) nz[m++] = i;
        counters.synapticEvents += m * out;
        const yo = b * out;
        for (let o = 0; o < out; o++) {
          const row = o * inn;
          let s = 0;
          for (let q = 0; q < m; q++) {
            const i = nz[q]!;
            s += W[row + i]! * x[xo + i]!;
          }
          y[yo + o] = hasBias ? s + bias[o]! : s;
        }
      }
    },
  };
}
