import type { FlattenNode, OutputNode, ScaleNode, ThresholdNode } from '../../graph/graph.js';
import { numel, perNeuron } from '../../graph/tensor.js';
import type { Kernel, KernelContext } from '../kernel.js';

/** Scale: y = s ⊙ x (a 1-element s broadcasts). */
export function scaleKernel(node: ScaleNode, ctx: KernelContext): Kernel {
  const n = numel(ctx.outShape);
  const s = perNeuron(node.scale, n);
  return {
    size: n,
    receptors: 1,
    spiking: false,
    vars: {},
    step(_t, x, y) {
      for (let k = 0; k < n; k++) y[k] = s[k]! * x[k]!;
    },
  };
}

/** Threshold: y = [x > θ] (strict). */
export function thresholdKernel(node: ThresholdNode, ctx: KernelContext): Kernel {
  const n = numel(ctx.outShape);
  const th = perNeuron(node.threshold, n);
  return {
    size: n,
    receptors: 1,
    spiking: true,
    vars: {},
    step(_t, x, y) {
      for (let k = 0; k < n; k++) y[k] = x[k]! > th[k]! ? 1 : 0;
    },
  };
}

/** Flatten (a C-order reshape) and Output: y = x. */
export function identityKernel(_node: FlattenNode | OutputNode, ctx: KernelContext): Kernel {
  const n = numel(ctx.outShape);
  return {
    size: n,
    receptors: 1,
    spiking: false,
    vars: {},
    step(_t, x, y) {
      y.set(x.length === n ? x : x.subarray(0, n));
    },
  };
}
