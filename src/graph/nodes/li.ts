import type { Metadata, PrimitiveSpec } from '../spec.js';
import type { FloatTensor } from '../tensor.js';
import { finite, neuronShape, positive } from './checks.js';

/** LI: v ← v_leak + (v − v_leak)·a + R·x·(1 − a), a = 1 − dt/τ (euler) or exp(−dt/τ) (exact); y = v. */
export interface LINode {
  kind: 'LI';
  name: string;
  metadata?: Metadata;
  tau: FloatTensor;
  r: FloatTensor;
  v_leak: FloatTensor;
}

export const li: PrimitiveSpec<LINode> = {
  kind: 'LI',
  fields: [{ name: 'tau', type: 'tensor' }, { name: 'r', type: 'tensor' }, { name: 'v_leak', type: 'tensor' }],
  neuron: true,
  stateful: true,
  validate: (n) => [...positive(n.name, 'tau', n.tau), ...finite(n.name, 'r', n.r), ...finite(n.name, 'v_leak', n.v_leak)],
  outputShape: (n, inp) => neuronShape(n.name, { tau: n.tau, r: n.r, v_leak: n.v_leak }, inp),
};
