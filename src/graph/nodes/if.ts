import type { Metadata, PrimitiveSpec } from '../spec.js';
import type { FloatTensor } from '../tensor.js';
import { finite, neuronShape } from './checks.js';

/**
 * IF: v ← v + R·x (ifMode=step) or v + dt·R·x (ode); z = [v > v_threshold];
 * v ← v_reset where z (reset=zero; v_reset defaults to 0) or v − v_threshold (reset=subtract); y = z.
 */
export interface IFNode {
  kind: 'IF';
  name: string;
  metadata?: Metadata;
  r: FloatTensor;
  v_threshold: FloatTensor;
  v_reset?: FloatTensor;
}

export const ifNeuron: PrimitiveSpec<IFNode> = {
  kind: 'IF',
  fields: [{ name: 'r', type: 'tensor' }, { name: 'v_threshold', type: 'tensor' }, { name: 'v_reset', type: 'tensor', optional: true }],
  neuron: true,
  stateful: true,
  validate: (n) => [...finite(n.name, 'r', n.r), ...finite(n.name, 'v_threshold', n.v_threshold), ...finite(n.name, 'v_reset', n.v_reset)],
  outputShape: (n, inp) => neuronShape(n.name, { r: n.r, v_threshold: n.v_threshold, v_reset: n.v_reset }, inp),
};
