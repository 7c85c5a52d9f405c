import { diag } from '../../errors.js';
import type { Metadata, PrimitiveSpec } from '../spec.js';
import { formatShape, numel, type FloatTensor } from '../tensor.js';
import { finite } from './checks.js';

/** Scale: y = s ⊙ x (element-wise; a 1-element s broadcasts). */
export interface ScaleNode {
  kind: 'Scale';
  name: string;
  metadata?: Metadata;
  scale: FloatTensor;
}

export const scale: PrimitiveSpec<ScaleNode> = {
  kind: 'Scale',
  fields: [{ name: 'scale', type: 'tensor' }],
  neuron: false,
  stateful: false,
  validate: (n) => finite(n.name, 'scale', n.scale),
  outputShape: (n, inp) => {
    if (inp === undefined) return [diag('E_UNCONNECTED', 'has no input', { node: n.name })];
    if (n.scale.data.length !== 1 && n.scale.data.length !== numel(inp))
      return [diag('E_SHAPE_MISMATCH', `scale ${formatShape(n.scale.shape)} does not fit input ${formatShape(inp)}`, { node: n.name, field: 'scale' })];
    return inp;
  },
  synapses: (n, inp) => {
    const size = numel(inp);
    let nz = 0;
    for (let i = 0; i < size; i++) if ((n.scale.data.length === 1 ? n.scale.data[0] : n.scale.data[i]) !== 0) nz++;
    return { dense: size, nonzero: nz, stored: n.scale.data.length };
  },
};
