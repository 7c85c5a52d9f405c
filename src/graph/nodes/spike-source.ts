import { diag, type Diagnostic } from '../../errors.js';
import type { Metadata, PrimitiveSpec } from '../spec.js';
import { formatShape, numel, type FloatTensor, type Shape } from '../tensor.js';
import { nonNegative, positiveShape } from './checks.js';

/**
 * SpikeSource (neuromesh's own kind): a population that emits given spikes.
 * Either `spikes` ([T, …shape] spike counts; zeros after T) or `rate` (Hz, one value or one per
 * neuron): Bernoulli per neuron and step with p = rate·dt, drawn from the counter-based generator
 * keyed by (seed, node, neuron, step) (docs/semantics.md §3).
 */
export interface SpikeSourceNode {
  kind: 'SpikeSource';
  name: string;
  metadata?: Metadata;
  shape: Shape;
  spikes?: FloatTensor;
  rate?: FloatTensor;
  seed?: number;
}

export function spikeSourceValidate(n: SpikeSourceNode): Diagnostic[] {
  const d = positiveShape(n.name, 'shape', n.shape);
  if (d.length) return d;
  if ((n.spikes === undefined) === (n.rate === undefined))
    return [diag('E_BAD_FIELD', 'give exactly one of spikes or rate', { node: n.name, field: n.spikes ? 'rate' : 'spikes' })];
  if (n.spikes) {
    d.push(...nonNegative(n.name, 'spikes', n.spikes));
    if (!d.length && numel(n.spikes.shape.slice(1)) !== numel(n.shape))
      d.push(diag('E_SHAPE_MISMATCH', `spikes ${formatShape(n.spikes.shape)} must be [T, ${n.shape.join(', ')}]`, { node: n.name, field: 'spikes' }));
  }
  if (n.rate) {
    d.push(...nonNegative(n.name, 'rate', n.rate));
    if (!d.length && n.rate.data.length !== 1 && n.rate.data.length !== numel(n.shape))
      d.push(diag('E_SHAPE_MISMATCH', `rate has ${n.rate.data.length} values for ${numel(n.shape)} neurons`, { node: n.name, field: 'rate' }));
  }
  if (n.seed !== undefined && (!Number.isSafeInteger(n.seed) || n.seed < 0))
    d.push(diag('E_BAD_FIELD', `seed ${n.seed} must be a non-negative integer`, { node: n.name, field: 'seed' }));
  return d;
}

export const spikeSource: PrimitiveSpec<SpikeSourceNode> = {
  kind: 'SpikeSource',
  fields: [
    { name: 'shape', type: 'ints' }, { name: 'spikes', type: 'tensor', optional: true },
    { name: 'rate', type: 'tensor', optional: true }, { name: 'seed', type: 'int', optional: true },
  ],
  neuron: false,
  stateful: false,
  validate: spikeSourceValidate,
  outputShape: (n, inp) =>
    inp === undefined ? n.shape : [diag('E_BAD_EDGE', 'a SpikeSource takes no input', { node: n.name, hint: 'remove the edges into it' })],
};
