import type { Diagnostic } from '../../errors.js';
import type { Metadata, PrimitiveSpec } from '../spec.js';
import type { Shape } from '../tensor.js';
import { positiveShape } from './checks.js';

/**
 * Input: a port through which external data enters the graph.
 * y_t = the input at step t (zeros after the input ends). docs/semantics.md §2.
 */
export interface InputNode {
  kind: 'Input';
  name: string;
  metadata?: Metadata;
  /** Shape of one step of input, without a batch or time axis. */
  shape: Shape;
}

export const input: PrimitiveSpec<InputNode> = {
  kind: 'Input',
  fields: [{ name: 'shape', type: 'ints' }],
  neuron: false,
  stateful: false,
  validate: (n): Diagnostic[] => positiveShape(n.name, 'shape', n.shape),
  outputShape: (n) => n.shape,
};
