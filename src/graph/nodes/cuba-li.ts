import type { Metadata, PrimitiveSpec } from '../spec.js';
import type { FloatTensor } from '../tensor.js';
import { finite, neuronShape, positive, synapticTau } from './checks.js';

/**
 * CubaLI: i ← i·a_syn + w_in·x·(1 − a_syn); v ← v_leak + (v − v_leak)·a_mem + R·i·(1 − a_mem)
 * (with the new i); y = v. w_in defaults to 1.
 * tau_syn = 0 (a delta synapse): a_syn = 0, so i = w_in·x holds no state from step to step.
 */
export interface CubaLINode {
  kind: 'CubaLI';
  name: string;
  metadata?: Metadata;
  tau_syn: FloatTensor;
  tau_mem: FloatTensor;
  r: FloatTensor;
  v_leak: FloatTensor;
  w_in?: FloatTensor;
}

export const cubaLI: PrimitiveSpec<CubaLINode> = {
  kind: 'CubaLI',
  fields: [
    { name: 'tau_syn', type: 'tensor' }, { name: 'tau_mem', type: 'tensor' }, { name: 'r', type: 'tensor' },
    { name: 'v_leak', type: 'tensor' }, { name: 'w_in', type: 'tensor', optional: true },
  ],
  neuron: true,
  stateful: true,
  validate: (n) => [
    ...synapticTau(n.name, n.tau_syn), ...positive(n.name, 'tau_mem', n.tau_mem), ...finite(n.name, 'r', n.r),
    ...finite(n.name, 'v_leak', n.v_leak), ...finite(n.name, 'w_in', n.w_in),
  ],
  outputShape: (n, inp) => neuronShape(n.name, { tau_syn: n.tau_syn, tau_mem: n.tau_mem, r: n.r, v_leak: n.v_leak, w_in: n.w_in }, inp),
};
