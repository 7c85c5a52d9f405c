import type { Metadata, PrimitiveSpec } from '../spec.js';
import type { FloatTensor } from '../tensor.js';
import { matrixOutput, matrixSynapses, matrixValidate } from './affine.js';

/** Linear: y = W·x, W of shape [out, in]. */
export interface LinearNode {
  kind: 'Linear';
  name: string;
  metadata?: Metadata;
  weight: FloatTensor;
}

export const linear: PrimitiveSpec<LinearNode> = {
  kind: 'Linear',
  fields: [{ name: 'weight', type: 'tensor' }],
  neuron: false,
  stateful: false,
  validate: (n) => matrixValidate(n.name, n.weight),
  outputShape: (n, inp) => matrixOutput(n.name, n.weight, inp),
  synapses: (n, inp) => matrixSynapses(n.weight, inp),
};
