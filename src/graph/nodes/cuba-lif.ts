import type { Metadata, PrimitiveSpec } from '../spec.js';
import type { FloatTensor } from '../tensor.js';
import { finite, neuronShape, positive, synapticTau } from './checks.js';

/**
 * CubaLIF: as CubaLI, then z = [v > v_threshold]; reset v where z (to v_reset, default 0, or by
 * subtracting v_threshold); y = z. w_in defaults to 1.
 * tau_syn = 0 (a delta synapse): a_syn = 0, so i = w_in·x holds no state from step to step.
 */
export interface CubaLIFNode {
  kind: 'CubaLIF';
  name: string;
  metadata?: Metadata;
  tau_syn: FloatTensor;
  tau_mem: FloatTensor;
  r: FloatTensor;
  v_leak: FloatTensor;
  v_threshold: FloatTensor;
  v_reset?: FloatTensor;
  w_in?: FloatTensor;
}

export const cubaLIF: PrimitiveSpec<CubaLIFNode> = {
  kind: 'CubaLIF',
  fields: [
    { name: 'tau_syn', type: 'tensor' }, { name: 'tau_mem', type: 'tensor' }, { name: 'r', type: 'tensor' },
    { name: 'v_leak', type: 'tensor' }, { name: 'v_threshold', type: 'tensor' },
    { name: 'v_reset', type: 'tensor', optional: true }, { name: 'w_in', type: 'tensor', optional: true },
  ],
  neuron: true,
  stateful: true,
  validate: (n) => [
    ...synapticTau(n.name, n.tau_syn), ...positive(n.name, 'tau_mem', n.tau_mem), ...finite(n.name, 'r', n.r),
    ...finite(n.name, 'v_leak', n.v_leak), ...finite(n.name, 'v_threshold', n.v_threshold),
    ...finite(n.name, 'v_reset', n.v_reset), ...finite(n.name, 'w_in', n.w_in),
  ],
  outputShape: (n, inp) =>
    neuronShape(n.name, { tau_syn: n.tau_syn, tau_mem: n.tau_mem, r: n.r, v_leak: n.v_leak, v_threshold: n.v_threshold, v_reset: n.v_reset, w_in: n.w_in }, inp),
};
