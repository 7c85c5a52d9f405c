import type { PrimitiveSpec } from '../spec.js';
import { poolOutput, poolSynapses, poolValidate, type PoolFields } from './pool.js';

/**
 * AvgPool2d: y[c, i, j] = (1 / (k₀·k₁)) · Σ over the window of x[c, ·, ·] (zero padding counted in
 * the divisor, as PyTorch's default count_include_pad=True).
 */
export interface AvgPool2dNode extends PoolFields {
  kind: 'AvgPool2d';
}

export const avgPool2d: PrimitiveSpec<AvgPool2dNode> = {
  kind: 'AvgPool2d',
  fields: [{ name: 'kernel_size', type: 'ints' }, { name: 'stride', type: 'ints' }, { name: 'padding', type: 'ints' }],
  neuron: false,
  stateful: false,
  validate: poolValidate,
  outputShape: poolOutput,
  synapses: poolSynapses,
};
