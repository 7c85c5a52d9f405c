import type { Metadata, PrimitiveSpec } from '../spec.js';
import type { FloatTensor } from '../tensor.js';
import { finite, neuronShape } from './checks.js';

/** I (integrator): v ← v + R·x (ifMode=step) or v + dt·R·x (ifMode=ode); y = v. */
export interface INode {
  kind: 'I';
  name: string;
  metadata?: Metadata;
  r: FloatTensor;
}

export const i: PrimitiveSpec<INode> = {
  kind: 'I',
  fields: [{ name: 'r', type: 'tensor' }],
  neuron: true,
  stateful: true,
  validate: (n) => finite(n.name, 'r', n.r),
  outputShape: (n, inp) => neuronShape(n.name, { r: n.r }, inp),
};
