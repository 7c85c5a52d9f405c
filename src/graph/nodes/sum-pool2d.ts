import type { PrimitiveSpec } from '../spec.js';
import { poolOutput, poolSynapses, poolValidate, type PoolFields } from './pool.js';

/** SumPool2d: y[c, i, j] = Σ over the window at (i·s₀ − p₀, j·s₁ − p₁) of x[c, ·, ·] (zero padding). */
export interface SumPool2dNode extends PoolFields {
  kind: 'SumPool2d';
}

export const sumPool2d: PrimitiveSpec<SumPool2dNode> = {
  kind: 'SumPool2d',
  fields: [{ name: 'kernel_size', type: 'ints' }, { name: 'stride', type: 'ints' }, { name: 'padding', type: 'ints' }],
  neuron: false,
  stateful: false,
  validate: poolValidate,
  outputShape: poolOutput,
  synapses: poolSynapses,
};
