import { diag, type Diagnostic } from '../../errors.js';
import type { Metadata, PrimitiveSpec, SynapseCount } from '../spec.js';
import { formatShape, numel, type FloatTensor, type Shape } from '../tensor.js';
import { finite } from './checks.js';

/**
 * Affine: y = W·x + b, W of shape [out, in], b of shape [out]. The last input axis is the
 * contracted one; leading axes are kept.
 */
export interface AffineNode {
  kind: 'Affine';
  name: string;
  metadata?: Metadata;
  weight: FloatTensor;
  bias: FloatTensor;
}

/** Shape rule shared by Affine and Linear. */
export function matrixOutput(name: string, weight: FloatTensor, inp: Shape | undefined): Shape | Diagnostic[] {
  if (inp === undefined) return [diag('E_UNCONNECTED', 'has no input', { node: name })];
  const inSize = weight.shape[1]!;
  const last = inp.length ? inp[inp.length - 1]! : 1;
  if (last !== inSize)
    return [diag('E_SHAPE_MISMATCH', `weight ${formatShape(weight.shape)} expects ${inSize} inputs but receives ${formatShape(inp)}`, { node: name, field: 'weight', hint: 'the previous layer has a different size' })];
  return [...inp.slice(0, -1), weight.shape[0]!];
}

export function matrixSynapses(weight: FloatTensor, inp: Shape): SynapseCount {
  const batch = numel(inp.slice(0, -1));
  let nz = 0;
  for (let i = 0; i < weight.data.length; i++) if (weight.data[i] !== 0) nz++;
  return { dense: batch * weight.data.length, nonzero: batch * nz, stored: weight.data.length };
}

export function matrixValidate(name: string, weight: FloatTensor): Diagnostic[] {
  const f = finite(name, 'weight', weight);
  if (f.length) return f;
  if (weight.shape.length !== 2) return [diag('E_BAD_SHAPE', `weight must be 2-D [out, in], got ${formatShape(weight.shape)}`, { node: name, field: 'weight' })];
  return [];
}

export const affine: PrimitiveSpec<AffineNode> = {
  kind: 'Affine',
  fields: [{ name: 'weight', type: 'tensor' }, { name: 'bias', type: 'tensor' }],
  neuron: false,
  stateful: false,
  validate: (n) => {
    const d = [...matrixValidate(n.name, n.weight), ...finite(n.name, 'bias', n.bias)];
    if (!d.length && n.bias.data.length !== n.weight.shape[0] && n.bias.data.length !== 1)
      d.push(diag('E_SHAPE_MISMATCH', `bias has ${n.bias.data.length} values, weight has ${n.weight.shape[0]} outputs`, { node: n.name, field: 'bias' }));
    return d;
  },
  outputShape: (n, inp) => matrixOutput(n.name, n.weight, inp),
  synapses: (n, inp) => matrixSynapses(n.weight, inp),
};
