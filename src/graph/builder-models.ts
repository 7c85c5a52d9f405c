/**
 * Neuron models for the builder: typed parameter sets that become one neuron node of a given
 * shape. Parameters are a number (one value for every neuron), an array (one per neuron, C order),
 * a function of the flat neuron index, or a seeded uniform draw (`uniformInit`).
 */
import { diag, NeuromeshError } from '../errors.js';
import { hashName, Purpose, streamKey, uniformAt } from '../random/counter-rng.js';
import type { CubaLIFNode, CubaLINode, CurrentLIFNode, FlatNode, IFNode, INode, LIFNode, LINode } from './graph.js';
import { numel, type FloatDType, type FloatTensor, type Shape } from './tensor.js';

/** Uniform in [low, high) per neuron from the counter RNG (Purpose.init, keyed by population name and neuron). */
export interface UniformInit {
  readonly dist: 'uniform';
  readonly low: number;
  readonly high: number;
  readonly seed: number;
}

export function uniformInit(low: number, high: number, seed = 0): UniformInit {
  return { dist: 'uniform', low, high, seed };
}

export type Param = number | ArrayLike<number> | ((i: number) => number) | UniformInit;

/** A neuron model: what `network().population()` and `layer()` accept. */
export interface NeuronModel {
  readonly kind: 'LIF' | 'LI' | 'IF' | 'I' | 'CubaLIF' | 'CubaLI' | 'CurrentLIF';
  /** Receptor names (CurrentLIF built with named tau_syn), else empty: receptor 0 only. */
  readonly receptors: readonly string[];
  /** Number of receptors a projection may target. */
  readonly receptorCount: number;
  build(name: string, shape: Shape, dtype: FloatDType): FlatNode;
}

export function isNeuronModel(x: unknown): x is NeuronModel {
  return typeof x === 'object' && x !== null && typeof (x as { build?: unknown }).build === 'function';
}

function isUniform(p: Param): p is UniformInit {
  return typeof p === 'object' && p !== null && (p as { dist?: unknown }).dist === 'uniform';
}

function tensorOf(values: Float64Array, shape: Shape, dtype: FloatDType): FloatTensor {
  return dtype === 'float32' ? { dtype, shape, data: Float32Array.from(values) } : { dtype, shape, data: values };
}

/**
 * One parameter as a tensor: `expand` gives every neuron its own value ([…shape]); otherwise a
 * number stays a 1-element tensor (it broadcasts).
 */
export function materialize(p: Param, shape: Shape, node: string, field: string, dtype: FloatDType, expand: boolean): FloatTensor {
  const n = numel(shape);
  if (typeof p === 'number') return expand ? tensorOf(new Float64Array(n).fill(p), shape, dtype) : tensorOf(Float64Array.of(p), [1], dtype);
  const v = new Float64Array(n);
  if (typeof p === 'function') {
    for (let i = 0; i < n; i++) v[i] = p(i);
  } else if (isUniform(p)) {
    if (!(p.high >= p.low)) throw new NeuromeshError([diag('E_BAD_FIELD', `uniform range [${p.low}, ${p.high}) is empty`, { node, field })]);
    const key = streamKey(p.seed, Purpose.init, hashName(node));
    for (let i = 0; i < n; i++) v[i] = p.low + (p.high - p.low) * uniformAt(key, i, 0);
  } else {
    if (p.length !== n)
      throw new NeuromeshError([diag('E_SHAPE_MISMATCH', `has ${p.length} values for ${n} neurons`, { node, field, hint: 'give one number, or one value per neuron' })]);
    for (let i = 0; i < n; i++) v[i] = p[i]!;
  }
  return tensorOf(v, shape, dtype);
}

function opt(p: Param | undefined, shape: Shape, node: string, field: string, dtype: FloatDType, expand: boolean): FloatTensor | undefined {
  return p === undefined ? undefined : materialize(p, shape, node, field, dtype, expand);
}

/** NIR LIF: τ dv/dt = (v_leak − v) + R·I. Defaults r = 1, v_leak = 0, v_reset = 0. */
export function lif(p: { tau: Param; v_threshold: Param; r?: Param; v_leak?: Param; v_reset?: Param }): NeuronModel {
  return {
    kind: 'LIF', receptors: [], receptorCount: 1,
    build(name, shape, dtype): LIFNode {
      const m = (x: Param, f: string): FloatTensor => materialize(x, shape, name, f, dtype, true);
      const node: LIFNode = { kind: 'LIF', name, tau: m(p.tau, 'tau'), r: m(p.r ?? 1, 'r'), v_leak: m(p.v_leak ?? 0, 'v_leak'), v_threshold: m(p.v_threshold, 'v_threshold') };
      const vr = opt(p.v_reset, shape, name, 'v_reset', dtype, true);
      return vr ? { ...node, v_reset: vr } : node;
    },
  };
}

/** NIR LI (leaky integrator, no spikes). */
export function li(p: { tau: Param; r?: Param; v_leak?: Param }): NeuronModel {
  return {
    kind: 'LI', receptors: [], receptorCount: 1,
    build(name, shape, dtype): LINode {
      const m = (x: Param, f: string): FloatTensor => materialize(x, shape, name, f, dtype, true);
      return { kind: 'LI', name, tau: m(p.tau, 'tau'), r: m(p.r ?? 1, 'r'), v_leak: m(p.v_leak ?? 0, 'v_leak') };
    },
  };
}

/** NIR IF (integrate-and-fire). Defaults r = 1, v_reset = 0. */
export function ifNeuron(p: { v_threshold: Param; r?: Param; v_reset?: Param }): NeuronModel {
  return {
    kind: 'IF', receptors: [], receptorCount: 1,
    build(name, shape, dtype): IFNode {
      const m = (x: Param, f: string): FloatTensor => materialize(x, shape, name, f, dtype, true);
      const node: IFNode = { kind: 'IF', name, r: m(p.r ?? 1, 'r'), v_threshold: m(p.v_threshold, 'v_threshold') };
      const vr = opt(p.v_reset, shape, name, 'v_reset', dtype, true);
      return vr ? { ...node, v_reset: vr } : node;
    },
  };
}

/** NIR I (integrator). */
export function integrator(p: { r?: Param } = {}): NeuronModel {
  return {
    kind: 'I', receptors: [], receptorCount: 1,
    build(name, shape, dtype): INode {
      return { kind: 'I', name, r: materialize(p.r ?? 1, shape, name, 'r', dtype, true) };
    },
  };
}

interface CubaParams { tau_syn: Param; tau_mem: Param; r?: Param; v_leak?: Param; w_in?: Param }

/** NIR CubaLIF (current-based LIF with one synaptic current). */
export function cubaLIF(p: CubaParams & { v_threshold: Param; v_reset?: Param }): NeuronModel {
  return {
    kind: 'CubaLIF', receptors: [], receptorCount: 1,
    build(name, shape, dtype): CubaLIFNode {
      const m = (x: Param, f: string): FloatTensor => materialize(x, shape, name, f, dtype, true);
      const node: CubaLIFNode = {
        kind: 'CubaLIF', name, tau_syn: m(p.tau_syn, 'tau_syn'), tau_mem: m(p.tau_mem, 'tau_mem'), r: m(p.r ?? 1, 'r'),
        v_leak: m(p.v_leak ?? 0, 'v_leak'), v_threshold: m(p.v_threshold, 'v_threshold'),
      };
      const vr = opt(p.v_reset, shape, name, 'v_reset', dtype, true);
      const w = opt(p.w_in, shape, name, 'w_in', dtype, true);
      return { ...node, ...(vr ? { v_reset: vr } : {}), ...(w ? { w_in: w } : {}) };
    },
  };
}

/** NIR CubaLI. */
export function cubaLI(p: CubaParams): NeuronModel {
  return {
    kind: 'CubaLI', receptors: [], receptorCount: 1,
    build(name, shape, dtype): CubaLINode {
      const m = (x: Param, f: string): FloatTensor => materialize(x, shape, name, f, dtype, true);
      const node: CubaLINode = { kind: 'CubaLI', name, tau_syn: m(p.tau_syn, 'tau_syn'), tau_mem: m(p.tau_mem, 'tau_mem'), r: m(p.r ?? 1, 'r'), v_leak: m(p.v_leak ?? 0, 'v_leak') };
      const w = opt(p.w_in, shape, name, 'w_in', dtype, true);
      return w ? { ...node, w_in: w } : node;
    },
  };
}

/** A receptor's synaptic time constant in seconds, or `'delta'` (τ = 0: the input jumps v). */
export type SynapticTau = number | 'delta';

export interface CurrentLIFParams {
  tau_mem: Param;
  v_rest: Param;
  v_reset: Param;
  v_threshold: Param;
  /** Refractory period in seconds (default 0). */
  t_ref?: Param;
  /**
   * One τ per receptor: a number (one receptor), a list, or named receptors `{ exc: 5e-3, inh: 10e-3 }`.
   * `'delta'` (or 0) makes a receptor a delta synapse: an input of weight w makes v jump by w
   * (PyNN's IF_curr_delta, Brian2's `on_pre: v += w`), e.g. `{ exc: 'delta', inh: 10e-3 }`.
   */
  tau_syn: SynapticTau | readonly SynapticTau[] | Readonly<Record<string, SynapticTau>>;
  /** Initial voltages (default 0, as docs/semantics.md §2 says: give v_rest here to start at rest). */
  v_init?: Param;
}

/**
 * neuromesh CurrentLIF (Brian2/PyNN current-based LIF with refractory period and one synaptic
 * current per receptor, docs/semantics.md §2). Scalars stay 1-element tensors (they broadcast).
 */
export function currentLIF(p: CurrentLIFParams): NeuronModel {
  const named = typeof p.tau_syn === 'object' && !Array.isArray(p.tau_syn);
  const receptors = named ? Object.keys(p.tau_syn) : [];
  const given: SynapticTau[] = typeof p.tau_syn !== 'object' ? [p.tau_syn] : named ? Object.values(p.tau_syn as Record<string, SynapticTau>) : [...(p.tau_syn as readonly SynapticTau[])];
  // 'delta' is τ = 0 (docs/semantics.md §2); numbers are checked by the node's validation
  const taus = given.map((t) => (t === 'delta' ? 0 : t));
  return {
    kind: 'CurrentLIF', receptors, receptorCount: taus.length,
    build(name, shape, dtype): CurrentLIFNode {
      const bad = taus.find((t) => typeof t !== 'number');
      if (!taus.length)
        throw new NeuromeshError([diag('E_BAD_FIELD', 'tau_syn gives no receptor', { node: name, field: 'tau_syn', hint: "give one time constant per receptor, e.g. tau_syn: { exc: 5e-3, inh: 'delta' }" })]);
      if (bad !== undefined)
        throw new NeuromeshError([diag('E_BAD_FIELD', `tau_syn ${JSON.stringify(bad).slice(0, 40)} is not a time constant`, { node: name, field: 'tau_syn', hint: "give seconds, or 'delta' for a synapse that makes v jump by its weight" })]);
      const m = (x: Param, f: string): FloatTensor => materialize(x, shape, name, f, dtype, false);
      const tauSyn = tensorOf(Float64Array.from(taus as number[]), [taus.length], dtype);
      const node: CurrentLIFNode = {
        kind: 'CurrentLIF', name, shape: [...shape], tau_mem: m(p.tau_mem, 'tau_mem'), v_rest: m(p.v_rest, 'v_rest'),
        v_reset: m(p.v_reset, 'v_reset'), v_threshold: m(p.v_threshold, 'v_threshold'), t_ref: m(p.t_ref ?? 0, 't_ref'), tau_syn: tauSyn,
      };
      const vi = opt(p.v_init, shape, name, 'v_init', dtype, false);
      return { ...node, ...(vi ? { v_init: vi } : {}), ...(receptors.length ? { receptors: [...receptors] } : {}) };
    },
  };
}
