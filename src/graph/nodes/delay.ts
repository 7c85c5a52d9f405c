import { diag } from '../../errors.js';
import type { Metadata, PrimitiveSpec } from '../spec.js';
import { formatShape, numel, type FloatTensor } from '../tensor.js';
import { nonNegative } from './checks.js';

/** Delay: y_t = x_{t−k}, k = round(delay/dt) per element (seconds), zeros before. */
export interface DelayNode {
  kind: 'Delay';
  name: string;
  metadata?: Metadata;
  delay: FloatTensor;
}

export const delay: PrimitiveSpec<DelayNode> = {
  kind: 'Delay',
  fields: [{ name: 'delay', type: 'tensor' }],
  neuron: false,
  stateful: true,
  validate: (n) => nonNegative(n.name, 'delay', n.delay),
  outputShape: (n, inp) => {
    if (inp === undefined) return [diag('E_UNCONNECTED', 'has no input', { node: n.name })];
    if (n.delay.data.length !== 1 && n.delay.data.length !== numel(inp))
      return [diag('E_SHAPE_MISMATCH', `delay ${formatShape(n.delay.shape)} does not fit input ${formatShape(inp)}`, { node: n.name, field: 'delay' })];
    return inp;
  },
};
