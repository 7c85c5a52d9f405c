import { diag, type Diagnostic } from '../../errors.js';
import type { Metadata, PrimitiveSpec } from '../spec.js';
import { formatShape, numel, type FloatTensor, type Shape } from '../tensor.js';
import { finite, nonNegative, positive, positiveShape, synapticTau } from './checks.js';

/**
 * CurrentLIF (neuromesh's own kind, Brian2/PyNN-style current-based LIF, docs/semantics.md §2):
 *   dv/dt = (v_rest − v + Σ_r i_r) / tau_mem   (no integration while refractory)
 *   di_r/dt = −i_r / tau_syn[r];  an input of weight w on receptor r: i_r ← i_r + w
 *   v > v_threshold → spike, v ← v_reset, refractory for t_ref seconds.
 * Per-neuron parameters have one value or one per neuron; tau_syn has one value per receptor.
 * tau_syn[r] = 0 makes receptor r a delta synapse (PyNN's IF_curr_delta, Brian2's `on_pre: v += w`):
 * no current, an input of weight w makes v jump by w, except while refractory (docs/semantics.md §2).
 * v_init gives the initial voltages; without it v starts at 0 (docs/semantics.md §2: state starts at 0
 * unless the node gives initial values).
 */
export interface CurrentLIFNode {
  kind: 'CurrentLIF';
  name: string;
  metadata?: Metadata;
  shape: Shape;
  tau_mem: FloatTensor;
  v_rest: FloatTensor;
  v_reset: FloatTensor;
  v_threshold: FloatTensor;
  t_ref: FloatTensor;
  /** [R]: one synaptic time constant per receptor; 0 makes the receptor a delta synapse. */
  tau_syn: FloatTensor;
  v_init?: FloatTensor;
  /** Optional receptor names, e.g. ['exc', 'inh']; index = receptor number. */
  receptors?: string[];
}

export function currentLIFValidate(n: CurrentLIFNode): Diagnostic[] {
  const d = positiveShape(n.name, 'shape', n.shape);
  if (d.length) return d;
  d.push(
    ...positive(n.name, 'tau_mem', n.tau_mem), ...finite(n.name, 'v_rest', n.v_rest), ...finite(n.name, 'v_reset', n.v_reset),
    ...finite(n.name, 'v_threshold', n.v_threshold), ...nonNegative(n.name, 't_ref', n.t_ref),
    ...synapticTau(n.name, n.tau_syn), ...finite(n.name, 'v_init', n.v_init),
  );
  if (d.length) return d;
  const size = numel(n.shape);
  const perNeuron = { tau_mem: n.tau_mem, v_rest: n.v_rest, v_reset: n.v_reset, v_threshold: n.v_threshold, t_ref: n.t_ref, v_init: n.v_init };
  for (const [field, t] of Object.entries(perNeuron)) {
    if (t && t.data.length !== 1 && t.data.length !== size)
      d.push(diag('E_SHAPE_MISMATCH', `has ${t.data.length} values for ${size} neurons of shape ${formatShape(n.shape)}`, { node: n.name, field }));
  }
  if (n.receptors && n.receptors.length !== n.tau_syn.data.length)
    d.push(diag('E_SHAPE_MISMATCH', `${n.receptors.length} receptor names for ${n.tau_syn.data.length} tau_syn values`, { node: n.name, field: 'receptors' }));
  return d;
}

export const currentLIF: PrimitiveSpec<CurrentLIFNode> = {
  kind: 'CurrentLIF',
  fields: [
    { name: 'shape', type: 'ints' }, { name: 'tau_mem', type: 'tensor' }, { name: 'v_rest', type: 'tensor' },
    { name: 'v_reset', type: 'tensor' }, { name: 'v_threshold', type: 'tensor' }, { name: 't_ref', type: 'tensor' },
    { name: 'tau_syn', type: 'tensor' }, { name: 'v_init', type: 'tensor', optional: true },
    { name: 'receptors', type: 'strings', optional: true },
  ],
  neuron: true,
  stateful: true,
  validate: currentLIFValidate,
  outputShape: (n, inp) => {
    if (inp !== undefined && numel(inp) !== numel(n.shape))
      return [diag('E_SHAPE_MISMATCH', `receives ${formatShape(inp)} but has ${numel(n.shape)} neurons`, { node: n.name })];
    return n.shape;
  },
};
