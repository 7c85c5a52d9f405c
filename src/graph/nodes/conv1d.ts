import type { PrimitiveSpec } from '../spec.js';
import { convOutput, convSynapses, convValidate, type ConvFields } from './conv.js';

/**
 * Conv1d: y[co, l] = b[co] + Σ_ci Σ_k W[co, ci, k] · x[g·Cin/G + ci, l·s − p + k·d]
 * (cross-correlation, zero padding, groups g). Input [C_in, L], output [C_out, L_out].
 */
export interface Conv1dNode extends ConvFields {
  kind: 'Conv1d';
}

export const conv1d: PrimitiveSpec<Conv1dNode> = {
  kind: 'Conv1d',
  fields: [
    { name: 'weight', type: 'tensor' }, { name: 'bias', type: 'tensor' }, { name: 'stride', type: 'ints' },
    { name: 'padding', type: 'ints' }, { name: 'dilation', type: 'ints' }, { name: 'groups', type: 'int' },
    { name: 'input_shape', type: 'ints', optional: true },
  ],
  neuron: false,
  stateful: false,
  validate: (n) => convValidate(n, 1),
  outputShape: (n, inp) => convOutput(n, 1, inp),
  synapses: (n, inp) => convSynapses(n, 1, inp),
};
