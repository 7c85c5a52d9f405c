import { diag, type Diagnostic } from '../../errors.js';
import type { Metadata, PrimitiveSpec } from '../spec.js';
import { formatShape, numel, type Shape } from '../tensor.js';
import { positiveShape } from './checks.js';

/**
 * Output: a port through which the graph's result leaves. y = x.
 * The declared shape must hold as many values as its input (exporters such as Rockpool write
 * [1, 1, 1] for a [1] signal, which is accepted).
 */
export interface OutputNode {
  kind: 'Output';
  name: string;
  metadata?: Metadata;
  shape: Shape;
}

export const output: PrimitiveSpec<OutputNode> = {
  kind: 'Output',
  fields: [{ name: 'shape', type: 'ints' }],
  neuron: false,
  stateful: false,
  validate: (n): Diagnostic[] => positiveShape(n.name, 'shape', n.shape),
  outputShape: (n, inp) => {
    if (inp === undefined) return [diag('E_UNCONNECTED', 'output has no incoming edge', { node: n.name, hint: 'connect a node to this Output' })];
    if (numel(inp) !== numel(n.shape))
      return [diag('E_SHAPE_MISMATCH', `declared shape ${formatShape(n.shape)} but receives ${formatShape(inp)}`, { node: n.name, field: 'shape' })];
    return inp;
  },
};
