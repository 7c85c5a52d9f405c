import { diag } from '../../errors.js';
import type { InputNode, SpikeSourceNode } from '../../graph/graph.js';
import { numel, perNeuron } from '../../graph/tensor.js';
import { inputAt } from '../../io/spikes.js';
import { hashName, Purpose, streamKey, uniformAt } from '../../random/counter-rng.js';
import type { KernelContext, KernelResult } from '../kernel.js';

/** Input: y_t = the external input at step t (zeros after it ends, zeros throughout when none is given). */
export function inputKernel(node: InputNode, ctx: KernelContext): KernelResult {
  const n = numel(node.shape);
  const inp = ctx.inputs.get(node.name);
  const where = { node: node.name, ...(ctx.file ? { file: ctx.file } : {}) };
  if (!inp) {
    // no input given: zeros throughout (docs/semantics.md §2: zeros after the input ends); the
    // simulator reports W_NO_INPUT
    return { size: n, receptors: 1, spiking: false, vars: {}, step(_t, _x, y) { y.fill(0); } };
  }
  if (inp.size !== n)
    return [diag('E_SHAPE_MISMATCH', `input gives ${inp.size} values per step, the node has ${n}`, { ...where, field: 'shape' })];
  const { dt } = ctx.cfg;
  return {
    size: n,
    receptors: 1,
    spiking: inp.kind === 'poisson',
    vars: {},
    step(t, _x, y) {
      inputAt(inp, t, dt, y);
    },
  };
}

/**
 * SpikeSource: y_t = spikes[t] (zeros for t ≥ T), or Bernoulli per neuron and step with
 * p = rate·dt: a spike when uniformAt(streamKey(seed, Purpose.poisson, hashName(name)), neuron, step) < p
 * (docs/semantics.md §3), seed = the node's own seed if it has one, else the run seed.
 */
export function spikeSourceKernel(node: SpikeSourceNode, ctx: KernelContext): KernelResult {
  const n = numel(node.shape);
  const { dt, seed } = ctx.cfg;
  if (node.spikes) {
    const T = node.spikes.shape[0]!;
    const data = node.spikes.data;
    return {
      size: n,
      receptors: 1,
      spiking: true,
      vars: {},
      step(t, _x, y) {
        if (t < T) for (let k = 0; k < n; k++) y[k] = data[t * n + k]!;
        else y.fill(0);
      },
    };
  }
  const rate = perNeuron(node.rate!, n); // may be the node's own array: never written
  const p = new Float64Array(n);
  for (let k = 0; k < n; k++) p[k] = rate[k]! * dt;
  const key = streamKey(node.seed ?? seed, Purpose.poisson, hashName(node.name));
  return {
    size: n,
    receptors: 1,
    spiking: true,
    vars: {},
    step(t, _x, y) {
      for (let k = 0; k < n; k++) y[k] = uniformAt(key, k, t) < p[k]! ? 1 : 0;
    },
  };
}
