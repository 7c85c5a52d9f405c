import { diag, type Diagnostic } from '../../errors.js';
import type { Metadata, PrimitiveSpec } from '../spec.js';
import { formatShape, numel, type FloatTensor, type IndexArray } from '../tensor.js';
import { finite } from './checks.js';

/**
 * SparseLinear (neuromesh's own kind): y_t[j] = Σ_{synapses s: pre i → post j} w_s · x_{t − d_s}[i].
 * Weights are CSR in *pre-major* order, as a spike is delivered: the synapses of input i are
 * s = indptr[i] … indptr[i+1]−1, with post index indices[s], weight weight[s] and delay delay[s]
 * (in steps, default 0). `receptor` names which synaptic current of a CurrentLIF target it feeds
 * (0 for every other target).
 */
export interface SparseLinearNode {
  kind: 'SparseLinear';
  name: string;
  metadata?: Metadata;
  in_size: number;
  out_size: number;
  indptr: IndexArray;
  indices: IndexArray;
  weight: FloatTensor;
  delay?: IndexArray;
  receptor: number;
}

export function sparseLinearValidate(n: SparseLinearNode): Diagnostic[] {
  const at = (field: string, message: string, hint?: string): Diagnostic[] => [diag('E_BAD_FIELD', message, { node: n.name, field, ...(hint ? { hint } : {}) })];
  if (!Number.isInteger(n.in_size) || n.in_size < 1 || !Number.isInteger(n.out_size) || n.out_size < 1)
    return at('in_size', `sizes ${n.in_size}×${n.out_size} must be positive integers`);
  if (n.indptr.length !== n.in_size + 1) return at('indptr', `has ${n.indptr.length} entries, expected in_size + 1 = ${n.in_size + 1}`);
  const nnz = n.indices.length;
  if (n.indptr[0] !== 0 || n.indptr[n.in_size] !== nnz) return at('indptr', `must start at 0 and end at ${nnz} (the number of synapses)`);
  for (let i = 0; i < n.in_size; i++) if (n.indptr[i + 1]! < n.indptr[i]!) return at('indptr', `decreases at input ${i}`);
  for (let s = 0; s < nnz; s++) if (n.indices[s]! >= n.out_size) return at('indices', `synapse ${s} targets ${n.indices[s]}, out of range for ${n.out_size} outputs`);
  if (n.weight.data.length !== nnz) return at('weight', `has ${n.weight.data.length} values for ${nnz} synapses`);
  if (n.delay && n.delay.length !== nnz) return at('delay', `has ${n.delay.length} values for ${nnz} synapses`);
  if (!Number.isInteger(n.receptor) || n.receptor < 0 || n.receptor > 255) return at('receptor', `receptor ${n.receptor} must be an integer in 0..255`);
  return finite(n.name, 'weight', n.weight);
}

export const sparseLinear: PrimitiveSpec<SparseLinearNode> = {
  kind: 'SparseLinear',
  fields: [
    { name: 'in_size', type: 'int' }, { name: 'out_size', type: 'int' }, { name: 'indptr', type: 'index' },
    { name: 'indices', type: 'index' }, { name: 'weight', type: 'tensor' }, { name: 'delay', type: 'index', optional: true },
    { name: 'receptor', type: 'int' },
  ],
  neuron: false,
  stateful: false,
  validate: sparseLinearValidate,
  outputShape: (n, inp) => {
    if (inp === undefined) return [diag('E_UNCONNECTED', 'has no input', { node: n.name })];
    if (numel(inp) !== n.in_size)
      return [diag('E_SHAPE_MISMATCH', `expects ${n.in_size} inputs, receives ${formatShape(inp)}`, { node: n.name, field: 'in_size' })];
    return [n.out_size];
  },
  synapses: (n) => {
    let nz = 0;
    for (let s = 0; s < n.weight.data.length; s++) if (n.weight.data[s] !== 0) nz++;
    return { dense: n.in_size * n.out_size, nonzero: nz, stored: n.indices.length };
  },
};
