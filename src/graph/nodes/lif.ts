import type { Metadata, PrimitiveSpec } from '../spec.js';
import type { FloatTensor } from '../tensor.js';
import { finite, neuronShape, positive } from './checks.js';

/**
 * LIF: v ← v_leak + (v − v_leak)·a + R·x·(1 − a); z = [v > v_threshold]; reset where z
 * (v ← v_reset, default 0, or v ← v − v_threshold); y = z.
 */
export interface LIFNode {
  kind: 'LIF';
  name: string;
  metadata?: Metadata;
  tau: FloatTensor;
  r: FloatTensor;
  v_leak: FloatTensor;
  v_threshold: FloatTensor;
  v_reset?: FloatTensor;
}

export const lif: PrimitiveSpec<LIFNode> = {
  kind: 'LIF',
  fields: [
    { name: 'tau', type: 'tensor' }, { name: 'r', type: 'tensor' }, { name: 'v_leak', type: 'tensor' },
    { name: 'v_threshold', type: 'tensor' }, { name: 'v_reset', type: 'tensor', optional: true },
  ],
  neuron: true,
  stateful: true,
  validate: (n) => [
    ...positive(n.name, 'tau', n.tau), ...finite(n.name, 'r', n.r), ...finite(n.name, 'v_leak', n.v_leak),
    ...finite(n.name, 'v_threshold', n.v_threshold), ...finite(n.name, 'v_reset', n.v_reset),
  ],
  outputShape: (n, inp) => neuronShape(n.name, { tau: n.tau, r: n.r, v_leak: n.v_leak, v_threshold: n.v_threshold, v_reset: n.v_reset }, inp),
};
