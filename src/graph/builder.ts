/**
 * PyNN-like, typed builder for neuromesh graphs.
 *
 *   const net = network({ name: 'cuba' });
 *   const P = net.population('P', 4000, currentLIF({ tau_mem: 20e-3, …, tau_syn: { exc: 5e-3, inh: 10e-3 } }));
 *   net.projection(P.slice(0, 3200), P, fixedProbability(0.02, 1), { weight: 1.62e-3, receptor: 'exc' });
 *   const graph = net.toGraph({ dt: 1e-4 });   // validated with analyze(); throws NeuromeshError
 *
 * Populations become neuron nodes; a projection becomes one SparseLinear node (CSR pre-major over
 * the whole pre population, indices into the whole post population) with edges pre → proj → post.
 * Views (`pop.slice(a, b)`) restrict a projection to some neurons while keeping one population.
 * Any primitive can be added with `layer()`/`node()` and wired with `connect()` (CNN-style graphs).
 */
import { diag, NeuromeshError, throwIfErrors, type Diagnostic } from '../errors.js';
import { isNeuronModel, type NeuronModel } from './builder-models.js';
import type { Connector } from './connectors.js';
import { analyze, type Edge, type FlatNode, type Graph, type SparseLinearNode } from './graph.js';
import { isDiagnostics } from './nodes/checks.js';
import type { FlatKind } from './registry.js';
import { specOf } from './registry.js';
import type { Metadata } from './spec.js';
import { formatShape, numel, type FloatDType, type FloatTensor, type IndexArray, type Shape } from './tensor.js';

export * from './builder-models.js';
export * from './connectors.js';

/** A node body without its name: `{ kind: 'Conv2d', weight, bias, … }`. */
export type NodeBody = FlatNode extends infer N ? (N extends FlatNode ? Omit<N, 'name'> : never) : never;

export interface NodeHandle {
  readonly name: string;
  readonly kind: FlatKind;
  /** Output shape, when known at build time. */
  readonly shape: Shape | undefined;
  /** A view of neurons [start, end) (C-order flat indices) for projections. */
  slice(start: number, end?: number): PopulationView;
}

export interface PopulationView {
  readonly node: NodeHandle;
  readonly start: number;
  readonly end: number;
}

export type Endpoint = NodeHandle | PopulationView;

/**
 * Weight (or delay, in seconds) of the synapses of a projection: one number, a dense row-major
 * [nPre × nPost] array over the views' local indices, or a function of the local (pre, post).
 */
export type SynapseValue = number | ArrayLike<number> | ((pre: number, post: number) => number);

export interface ProjectionOptions {
  /** Required unless the connector carries weights (fromList with 3 columns). */
  weight?: SynapseValue;
  /** Seconds; converted to whole steps with the dt given to toGraph (round to nearest). */
  delay?: SynapseValue;
  /** Receptor of a CurrentLIF target, by name ('exc') or number; 0 for other targets. */
  receptor?: string | number;
  /** Name of the SparseLinear node (default `<pre>_to_<post>`, made unique). */
  name?: string;
}

export interface ProjectionHandle {
  readonly name: string;
  readonly synapses: number;
}

export type SpikeSourceParams =
  | { rate: number | ArrayLike<number>; seed?: number }
  /** Spike counts [T, …shape] (a FloatTensor keeps its dtype; plain data becomes the network dtype). */
  | { spikes: FloatTensor | { shape: Shape; data: ArrayLike<number> } };

export interface NetworkOptions {
  name?: string;
  /** dtype of every float array the builder creates (default float64). */
  dtype?: FloatDType;
}

export interface ToGraphOptions {
  /** Step in seconds used to turn projection delays into steps (default 1e-4, docs/semantics.md §1). */
  dt?: number;
}

function fail(d: Diagnostic): never {
  throw new NeuromeshError([d]);
}

function isView(e: Endpoint): e is PopulationView {
  return 'node' in e && 'start' in e;
}

interface PendingDelay {
  seconds: Float64Array;
}

export class Network {
  readonly name: string | undefined;
  readonly dtype: FloatDType;
  private readonly nodes: FlatNode[] = [];
  private readonly edges: Edge[] = [];
  private readonly handles = new Map<string, NodeHandle>();
  private readonly receptorsOf = new Map<string, { names: readonly string[]; count: number }>();
  private readonly delays = new Map<string, PendingDelay>();

  constructor(opts: NetworkOptions = {}) {
    this.name = opts.name;
    this.dtype = opts.dtype ?? 'float64';
  }

  private add(node: FlatNode, shape: Shape | undefined): NodeHandle {
    if (typeof node.name !== 'string' || node.name === '') fail(diag('E_BAD_NAME', 'a node needs a non-empty name'));
    if (this.handles.has(node.name)) fail(diag('E_DUPLICATE_NODE', 'node name used twice', { node: node.name, hint: 'every population, projection and layer needs its own name' }));
    this.nodes.push(node);
    const handle: NodeHandle = {
      name: node.name,
      kind: node.kind,
      shape,
      slice: (start: number, end?: number): PopulationView => this.view(handle, start, end),
    };
    this.handles.set(node.name, handle);
    if (node.kind === 'CurrentLIF') this.receptorsOf.set(node.name, { names: node.receptors ?? [], count: node.tau_syn.data.length });
    return handle;
  }

  private view(h: NodeHandle, start: number, end?: number): PopulationView {
    if (!h.shape) fail(diag('E_BAD_FIELD', 'the shape of this node is not known at build time, so it cannot be sliced or projected from', { node: h.name, hint: 'give it an input with layer(name, body, from) first' }));
    const n = numel(h.shape);
    const e = end ?? n;
    if (!Number.isInteger(start) || !Number.isInteger(e) || start < 0 || e > n || start >= e)
      fail(diag('E_BAD_FIELD', `slice [${start}, ${e}) is not a non-empty range within its ${n} neurons`, { node: h.name }));
    return { node: h, start, end: e };
  }

  private shapeOf(size: number | Shape, name: string): Shape {
    const shape = typeof size === 'number' ? [size] : [...size];
    if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1))
      fail(diag('E_BAD_SHAPE', `size ${formatShape(shape)} must be positive integers`, { node: name }));
    return shape;
  }

  /** An Input port of the given shape (fed by spike input files, docs/semantics.md §4). */
  input(name: string, shape: number | Shape): NodeHandle {
    const s = this.shapeOf(shape, name);
    return this.add({ kind: 'Input', name, shape: s }, s);
  }

  /** An Output port fed by `from`. */
  output(name: string, from: NodeHandle, shape?: Shape): NodeHandle {
    const s = shape ?? from.shape;
    if (!s) fail(diag('E_BAD_FIELD', `the shape of '${from.name}' is not known: give the Output shape`, { node: name }));
    const h = this.add({ kind: 'Output', name, shape: [...s] }, [...s]);
    this.connect(from, h);
    return h;
  }

  /** A population of `size` neurons (a number or a shape) of the given model. */
  population(name: string, size: number | Shape, model: NeuronModel): NodeHandle {
    const s = this.shapeOf(size, name);
    return this.add(model.build(name, s, this.dtype), s);
  }

  /** A SpikeSource: Poisson (rate Hz, seed) or a given spike array [T, …shape]. */
  spikeSource(name: string, size: number | Shape, params: SpikeSourceParams): NodeHandle {
    const shape = this.shapeOf(size, name);
    if ('spikes' in params) {
      const sp = params.spikes;
      const spikes: FloatTensor = 'dtype' in sp ? sp : this.dtype === 'float32'
        ? { dtype: 'float32', shape: [...sp.shape], data: Float32Array.from(sp.data) }
        : { dtype: 'float64', shape: [...sp.shape], data: Float64Array.from(sp.data) };
      return this.add({ kind: 'SpikeSource', name, shape, spikes }, shape);
    }
    const r = params.rate;
    const data = typeof r === 'number' ? Float64Array.of(r) : Float64Array.from(r);
    const rate: FloatTensor = this.dtype === 'float32' ? { dtype: 'float32', shape: [data.length], data: Float32Array.from(data) } : { dtype: 'float64', shape: [data.length], data };
    return this.add({ kind: 'SpikeSource', name, shape, rate, seed: params.seed ?? 0 }, shape);
  }

  /**
   * Any primitive (or a neuron model, whose shape is then the input's) fed by `from`. Shapes are
   * inferred as nodes are added, so a mismatch is reported at the layer that causes it.
   */
  layer(name: string, body: NodeBody | NeuronModel, from?: NodeHandle | readonly NodeHandle[]): NodeHandle {
    const inputs = from === undefined ? [] : Array.isArray(from) ? (from as readonly NodeHandle[]) : [from as NodeHandle];
    const inShape = inputs[0]?.shape;
    let node: FlatNode;
    if (isNeuronModel(body)) {
      if (!inShape) fail(diag('E_BAD_FIELD', 'a neuron layer needs an input of known shape (or use population())', { node: name }));
      node = body.build(name, inShape, this.dtype);
    } else {
      node = { ...body, name } as FlatNode;
    }
    return this.node(node, inputs);
  }

  /** Add a complete node (named), with edges from `from`. */
  node(node: FlatNode, from: NodeHandle | readonly NodeHandle[] = []): NodeHandle {
    const inputs = Array.isArray(from) ? (from as readonly NodeHandle[]) : [from as NodeHandle];
    const errs = specOf(node).validate(node);
    throwIfErrors(errs);
    const inShape = inputs[0]?.shape;
    let shape: Shape | undefined;
    if (inputs.length === 0 || inShape) {
      const r = specOf(node).outputShape(node, inShape);
      if (isDiagnostics(r)) {
        if (inputs.length) throwIfErrors(r);
      } else shape = r;
    }
    const h = this.add(node, shape);
    for (const i of inputs) this.connect(i, h);
    return h;
  }

  /** An edge a → b (shapes checked by toGraph). */
  connect(a: NodeHandle | string, b: NodeHandle | string): void {
    const from = typeof a === 'string' ? a : a.name;
    const to = typeof b === 'string' ? b : b.name;
    for (const n of [from, to]) if (!this.handles.has(n)) fail(diag('E_UNKNOWN_NODE', `connect(${from}, ${to}) names unknown node '${n}'`, { node: n }));
    this.edges.push({ from, to });
  }

  private uniqueName(base: string): string {
    if (!this.handles.has(base)) return base;
    for (let k = 2; ; k++) if (!this.handles.has(`${base}_${k}`)) return `${base}_${k}`;
  }

  private receptorIndex(post: NodeHandle, receptor: string | number | undefined, proj: string): number {
    const r = this.receptorsOf.get(post.name);
    if (receptor === undefined) return 0;
    if (typeof receptor === 'number') {
      const count = r?.count ?? 1;
      if (!Number.isInteger(receptor) || receptor < 0 || receptor >= count)
        fail(diag('E_BAD_FIELD', `receptor ${receptor} out of range: '${post.name}' has ${count} receptor(s)`, { node: proj, field: 'receptor' }));
      return receptor;
    }
    const k = r ? r.names.indexOf(receptor) : -1;
    if (k < 0)
      fail(diag('E_BAD_FIELD', `'${post.name}' has no receptor named '${receptor}'`, {
        node: proj, field: 'receptor',
        hint: r?.names.length ? `receptors: ${r.names.join(', ')}` : 'only a CurrentLIF built with named tau_syn has named receptors',
      }));
    return k;
  }

  /**
   * Connect `pre` to `post` with a connector; one SparseLinear node of in_size = |pre population|
   * and out_size = |post population| (rows outside a pre view are empty).
   */
  projection(pre: Endpoint, post: Endpoint, connector: Connector, opts: ProjectionOptions = {}): ProjectionHandle {
    const pv = isView(pre) ? pre : this.view(pre, 0);
    const qv = isView(post) ? post : this.view(post, 0);
    if (!this.handles.has(pv.node.name) || !this.handles.has(qv.node.name))
      fail(diag('E_UNKNOWN_NODE', 'projection endpoint belongs to another network', { node: pv.node.name }));
    const name = opts.name ?? this.uniqueName(`${pv.node.name}_to_${qv.node.name}`);
    if (this.handles.has(name)) fail(diag('E_DUPLICATE_NODE', 'node name used twice', { node: name }));
    const receptor = this.receptorIndex(qv.node, opts.receptor, name);
    const nPre = pv.end - pv.start;
    const nPost = qv.end - qv.start;
    const inSize = numel(pv.node.shape!);
    const outSize = numel(qv.node.shape!);
    const c = connector.connect({ projection: name, nPre, nPost, preStart: pv.start, postStart: qv.start, samePopulation: pv.node.name === qv.node.name });
    const nnz = c.indices.length;
    // global CSR: rows before/after the pre view are empty
    const indptr = new Int32Array(inSize + 1);
    for (let i = 0; i < nPre; i++) indptr[pv.start + i + 1] = c.indptr[i + 1]!;
    for (let i = pv.start + nPre + 1; i <= inSize; i++) indptr[i] = nnz;
    let indices: Int32Array = c.indices;
    if (qv.start !== 0) {
      indices = new Int32Array(nnz);
      for (let s = 0; s < nnz; s++) indices[s] = c.indices[s]! + qv.start;
    }
    const weight = c.weight ?? this.synapseValues(opts.weight, c.indptr, c.indices, nPre, nPost, name, 'weight');
    const delaySec = c.delay ?? (opts.delay === undefined ? undefined : this.synapseValues(opts.delay, c.indptr, c.indices, nPre, nPost, name, 'delay'));
    if (delaySec) {
      for (let s = 0; s < nnz; s++) {
        const d = delaySec[s]!;
        if (!(d >= 0) || !Number.isFinite(d)) fail(diag('E_BAD_FIELD', `synapse ${s} has delay ${d} s; delays must be finite and ≥ 0`, { node: name, field: 'delay' }));
      }
      this.delays.set(name, { seconds: delaySec });
    }
    const w: FloatTensor = this.dtype === 'float32' ? { dtype: 'float32', shape: [nnz], data: Float32Array.from(weight) } : { dtype: 'float64', shape: [nnz], data: weight };
    const node: SparseLinearNode = { kind: 'SparseLinear', name, in_size: inSize, out_size: outSize, indptr, indices, weight: w, receptor };
    this.add(node, [outSize]);
    this.edges.push({ from: pv.node.name, to: name }, { from: name, to: qv.node.name });
    return { name, synapses: nnz };
  }

  private synapseValues(v: SynapseValue | undefined, indptr: Int32Array, indices: Int32Array, nPre: number, nPost: number, node: string, field: string): Float64Array {
    const nnz = indices.length;
    if (v === undefined && nnz === 0) return new Float64Array(0);
    if (v === undefined)
      fail(diag('E_BAD_FIELD', `projection needs a ${field}`, { node, field, hint: `pass { ${field}: … } or a fromList connector with a ${field} column` }));
    if (typeof v === 'number') return new Float64Array(nnz).fill(v);
    const out = new Float64Array(nnz);
    if (typeof v === 'function') {
      for (let i = 0; i < nPre; i++) for (let s = indptr[i]!; s < indptr[i + 1]!; s++) out[s] = v(i, indices[s]!);
      return out;
    }
    if (v.length !== nPre * nPost)
      fail(diag('E_SHAPE_MISMATCH', `${field} array has ${v.length} values, expected a dense ${nPre}×${nPost} matrix`, { node, field, hint: 'use a number or a function (pre, post) => value for sparse projections' }));
    for (let i = 0; i < nPre; i++) for (let s = indptr[i]!; s < indptr[i + 1]!; s++) out[s] = v[i * nPost + indices[s]!]!;
    return out;
  }

  /** The finished graph, checked with analyze() (throws NeuromeshError listing every problem). */
  toGraph(opts: ToGraphOptions = {}): Graph {
    const dt = opts.dt ?? 1e-4;
    if (!(dt > 0) || !Number.isFinite(dt)) fail(diag('E_BAD_OPTION', `dt ${dt} must be a positive number of seconds`, { field: 'dt' }));
    const nodes = this.nodes.map((n): FlatNode => {
      const d = n.kind === 'SparseLinear' ? this.delays.get(n.name) : undefined;
      return d && n.kind === 'SparseLinear' ? { ...n, delay: toSteps(d.seconds, dt) } : n;
    });
    const metadata: Metadata = { builder_dt: dt, ...(this.name ? { network: this.name } : {}) };
    const graph: Graph = { nodes, edges: this.edges.map((e) => ({ ...e })), metadata };
    throwIfErrors(analyze(graph).diagnostics);
    return graph;
  }
}

/** Delays in seconds → whole steps (nearest), in the smallest unsigned array that holds them. */
export function toSteps(seconds: Float64Array, dt: number): IndexArray {
  let max = 0;
  const steps = new Float64Array(seconds.length);
  for (let s = 0; s < seconds.length; s++) {
    const k = Math.round(seconds[s]! / dt);
    steps[s] = k;
    if (k > max) max = k;
  }
  if (max > 2 ** 31 - 1) fail(diag('E_BAD_FIELD', `a delay of ${max} steps is absurd`, { field: 'delay' }));
  return max < 256 ? Uint8Array.from(steps) : max < 65536 ? Uint16Array.from(steps) : Int32Array.from(steps);
}

export function network(opts: NetworkOptions = {}): Network {
  return new Network(opts);
}
