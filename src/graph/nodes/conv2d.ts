import type { PrimitiveSpec } from '../spec.js';
import { convOutput, convSynapses, convValidate, type ConvFields } from './conv.js';

/**
 * Conv2d: y[co, i, j] = b[co] + Σ_ci Σ_ky Σ_kx W[co, ci, ky, kx] · x[g·Cin/G + ci, i·s₀ − p₀ + ky·d₀, j·s₁ − p₁ + kx·d₁]
 * (cross-correlation, zero padding, groups). Input [C_in, H, W], output [C_out, H_out, W_out].
 */
export interface Conv2dNode extends ConvFields {
  kind: 'Conv2d';
}

export const conv2d: PrimitiveSpec<Conv2dNode> = {
  kind: 'Conv2d',
  fields: [
    { name: 'weight', type: 'tensor' }, { name: 'bias', type: 'tensor' }, { name: 'stride', type: 'ints' },
    { name: 'padding', type: 'ints' }, { name: 'dilation', type: 'ints' }, { name: 'groups', type: 'int' },
    { name: 'input_shape', type: 'ints', optional: true },
  ],
  neuron: false,
  stateful: false,
  validate: (n) => convValidate(n, 2),
  outputShape: (n, inp) => convOutput(n, 2, inp),
  synapses: (n, inp) => convSynapses(n, 2, inp),
};
