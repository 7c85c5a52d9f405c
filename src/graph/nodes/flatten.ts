import { diag } from '../../errors.js';
import type { Metadata, PrimitiveSpec } from '../spec.js';
import { formatShape, numel, type Shape } from '../tensor.js';

/**
 * Flatten: C-order reshape of axes start_dim..end_dim (inclusive, negative counts from the end,
 * no batch axis) into one. Values are unchanged.
 */
export interface FlattenNode {
  kind: 'Flatten';
  name: string;
  metadata?: Metadata;
  start_dim: number;
  end_dim: number;
  /** Input shape as written by the exporter; optional. */
  input_type?: number[];
}

export function flattenShape(inp: Shape, start: number, end: number): Shape | undefined {
  const r = inp.length;
  const s = start < 0 ? start + r : start;
  const e = end < 0 ? end + r : end;
  if (r === 0) return [1];
  if (s < 0 || e >= r || s > e) return undefined;
  return [...inp.slice(0, s), numel(inp.slice(s, e + 1)), ...inp.slice(e + 1)];
}

export const flatten: PrimitiveSpec<FlattenNode> = {
  kind: 'Flatten',
  fields: [{ name: 'start_dim', type: 'int' }, { name: 'end_dim', type: 'int' }, { name: 'input_type', type: 'ints', optional: true }],
  neuron: false,
  stateful: false,
  validate: (n) =>
    Number.isInteger(n.start_dim) && Number.isInteger(n.end_dim) ? [] : [diag('E_BAD_FIELD', 'start_dim and end_dim must be integers', { node: n.name })],
  outputShape: (n, inp) => {
    if (inp === undefined) return [diag('E_UNCONNECTED', 'has no input', { node: n.name })];
    if (n.input_type && numel(n.input_type) !== numel(inp))
      return [diag('E_SHAPE_MISMATCH', `declared input_type ${formatShape(n.input_type)} but receives ${formatShape(inp)}`, { node: n.name, field: 'input_type' })];
    const out = flattenShape(inp, n.start_dim, n.end_dim);
    if (!out) return [diag('E_BAD_FIELD', `start_dim ${n.start_dim}..end_dim ${n.end_dim} is out of range for input ${formatShape(inp)}`, { node: n.name, field: 'start_dim' })];
    return out;
  },
};
