import type { Metadata, PrimitiveSpec } from '../spec.js';
import type { FloatTensor } from '../tensor.js';
import { finite, neuronShape } from './checks.js';

/** Threshold: y = [x > θ] (Heaviside with a strict >). Stateless, but a spike generator. */
export interface ThresholdNode {
  kind: 'Threshold';
  name: string;
  metadata?: Metadata;
  threshold: FloatTensor;
}

export const threshold: PrimitiveSpec<ThresholdNode> = {
  kind: 'Threshold',
  fields: [{ name: 'threshold', type: 'tensor' }],
  neuron: true,
  stateful: false,
  validate: (n) => finite(n.name, 'threshold', n.threshold),
  outputShape: (n, inp) => neuronShape(n.name, { threshold: n.threshold }, inp),
};
