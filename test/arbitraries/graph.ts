import fc from 'fast-check';
import type { Edge, FlatNode, Graph } from '../../src/graph/graph.js';
import { isDiagnostics } from '../../src/graph/nodes/checks.js';
import { specOf, type FlatKind } from '../../src/graph/registry.js';
import { numel, type Shape } from '../../src/graph/tensor.js';
import { Draw } from './draw.js';

export interface ArbGraphOptions {
  /** 'nir': only NIR kinds (default); 'all': also SparseLinear, SpikeSource, CurrentLIF. */
  kinds?: 'nir' | 'all';
  /** Largest number of nodes between the sources and the outputs on the main chain (default 6). */
  maxNodes?: number;
  /**
   * Attach random metadata to the graph and some nodes (default true): strings, numbers (±Inf and
   * −0 included, never NaN), booleans, number and string lists, nested groups.
   */
  metadata?: boolean;
}

/** Upper bound on elements per node output (keeps samples small and fast). */
export const MAX_NEURONS = 64;

/** Every flat kind arbGraph can produce, per option. */
export const ARB_KINDS: { nir: readonly FlatKind[]; all: readonly FlatKind[] } = {
  nir: ['Input', 'Output', 'Affine', 'Linear', 'Scale', 'Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d', 'Flatten', 'Delay',
    'Threshold', 'I', 'IF', 'LI', 'LIF', 'CubaLI', 'CubaLIF'],
  all: ['Input', 'Output', 'Affine', 'Linear', 'Scale', 'Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d', 'Flatten', 'Delay',
    'Threshold', 'I', 'IF', 'LI', 'LIF', 'CubaLI', 'CubaLIF', 'SparseLinear', 'SpikeSource', 'CurrentLIF'],
};

/**
 * Random VALID flat graphs (analyze() reports no error): one or two sources (Input, or SpikeSource
 * with 'all'), a chain of connection and neuron nodes with occasional skip edges (small DAGs),
 * optional recurrent edges through a stateful neuron (a self loop or a square Linear back into
 * it), Output nodes at the end and sometimes on a side branch. Arrays are float32 or float64,
 * optional fields (v_reset, w_in, input_shape, delay, …) present or absent, metadata sometimes.
 */
export function arbGraph(opts: ArbGraphOptions = {}): fc.Arbitrary<Graph> {
  const all = opts.kinds === 'all';
  const maxNodes = Math.max(1, opts.maxNodes ?? 6);
  const meta = opts.metadata ?? true;
  return fc.gen().map((g) => buildGraph(new Draw(g), all, maxNodes, meta));
}

type Maker = (d: Draw, name: string, inp: Shape) => FlatNode;

const SPATIAL = new Set(['Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d']);
const NEURON_KINDS = ['I', 'IF', 'LI', 'LIF', 'CubaLI', 'CubaLIF', 'Threshold'] as const;

function buildGraph(d: Draw, all: boolean, maxNodes: number, meta: boolean): Graph {
  const nodes: FlatNode[] = [];
  const edges: Edge[] = [];
  const shapes = new Map<string, Shape>();
  let counter = 0;
  const fresh = (base: string): string => d.name(base, counter++);

  /** Add a node fed by `from` (first edge decides the input shape); returns its output shape. */
  const add = (node: FlatNode, from: string[]): Shape => {
    const inShape = from.length ? shapes.get(from[0]!) : undefined;
    const r = specOf(node).outputShape(node, inShape);
    if (isDiagnostics(r)) throw new Error(`arbGraph bug: ${node.kind} '${node.name}': ${r[0]!.message}`);
    if (meta && d.bool(0.1)) node.metadata = d.metadata();
    nodes.push(node);
    for (const f of from) edges.push({ from: f, to: node.name });
    shapes.set(node.name, r);
    return r;
  };

  // sources
  const rank = d.int(1, 3);
  const srcShape: Shape = rank === 1 ? [d.int(1, 16)] : rank === 2 ? [d.int(1, 3), d.int(2, 8)] : [d.int(1, 3), d.int(2, 4), d.int(2, 4)];
  const sources: string[] = [];
  const nSources = d.bool(0.15) ? 2 : 1;
  for (let s = 0; s < nSources; s++) {
    const name = all && d.bool(0.3) ? addSpikeSource(d, fresh('spk'), srcShape, add) : (add({ kind: 'Input', name: fresh('in'), shape: [...srcShape] }, []), nodes[nodes.length - 1]!.name);
    sources.push(name);
  }

  // main chain
  const chain: string[] = [...sources];
  let cur = sources;
  const steps = d.int(1, maxNodes);
  for (let s = 0; s < steps; s++) {
    const inp = shapes.get(cur[0]!)!;
    const makers = applicable(inp, all);
    let node: FlatNode | undefined;
    for (let attempt = 0; attempt < 4 && !node; attempt++) {
      // convolutions and pools only fit [C, L] / [C, H, W] data: prefer them when they fit
      const spatial = Object.keys(makers).filter((k) => SPATIAL.has(k));
      const kind = spatial.length && d.bool(0.35) ? d.pick(spatial) : d.pick(Object.keys(makers));
      const cand = makers[kind]!(d, fresh(kind.toLowerCase()), inp);
      const r = specOf(cand).outputShape(cand, inp);
      if (!isDiagnostics(r) && numel(r) <= MAX_NEURONS && numel(r) >= 1) node = cand;
    }
    node ??= { kind: 'Scale', name: fresh('scale'), scale: d.tensor([1]) };
    const from = [...cur];
    // skip edge from an earlier node of the same size: a small DAG
    if (d.bool(0.2)) {
      const cands = chain.filter((c) => !from.includes(c) && numel(shapes.get(c)!) === numel(inp));
      if (cands.length) from.push(d.pick(cands));
    }
    add(node, from);
    chain.push(node.name);
    cur = [node.name];
    if (specOf(node).stateful && specOf(node).neuron) addRecurrence(d, node.name, shapes, edges, add, fresh);
    // a side output
    if (d.bool(0.1)) add({ kind: 'Output', name: fresh('side'), shape: [...shapes.get(node.name)!] }, [node.name]);
  }
  const last = shapes.get(cur[0]!)!;
  add({ kind: 'Output', name: fresh('out'), shape: d.bool(0.8) ? [...last] : [numel(last)] }, cur);

  // a SparseLinear may feed several CurrentLIFs: its receptor must exist on each (analyze() checks it)
  for (const e of edges) {
    const src = nodes.find((n) => n.name === e.from);
    const dst = nodes.find((n) => n.name === e.to);
    if (src?.kind === 'SparseLinear' && dst?.kind === 'CurrentLIF') src.receptor = Math.min(src.receptor, dst.tau_syn.data.length - 1);
  }
  const graph: Graph = { nodes, edges };
  if (d.bool(0.3)) graph.nirVersion = d.pick(['0.2.0', '1.0.0', '0.5.0']);
  if (meta && d.bool(0.2)) graph.metadata = d.metadata();
  return graph;
}

function addSpikeSource(d: Draw, name: string, shape: Shape, add: (n: FlatNode, from: string[]) => Shape): string {
  const node: FlatNode = { kind: 'SpikeSource', name, shape: [...shape] };
  if (d.bool()) node.spikes = d.tensor([d.int(1, 4), ...shape], 0, 3);
  else node.rate = d.param(shape, 0, 200);
  if (d.bool()) node.seed = d.int(0, 2 ** 40);
  add(node, []);
  return name;
}

/** A self loop, or a square Linear from the neuron back into it (a cycle through a stateful node). */
function addRecurrence(
  d: Draw, name: string, shapes: Map<string, Shape>, edges: Edge[], add: (n: FlatNode, from: string[]) => Shape, fresh: (b: string) => string,
): void {
  const roll = d.int(0, 9);
  if (roll < 2) edges.push({ from: name, to: name });
  else if (roll < 3) {
    const out = shapes.get(name)!;
    const last = out.length ? out[out.length - 1]! : 1;
    const lin = fresh('rec');
    add({ kind: 'Linear', name: lin, weight: d.tensor([last, last]) }, [name]);
    edges.push({ from: lin, to: name });
  }
}

function neuronMaker(kind: (typeof NEURON_KINDS)[number]): Maker {
  return (d, name, inp) => {
    const p = (min = -10, max = 10) => d.param(inp, min, max);
    const tau = () => d.param(inp, 1e-4, 1);
    // tau_syn 0 (a delta synapse: the current holds nothing from one step to the next) now and then
    const tauSyn = () => {
      const t = tau();
      if (d.bool(0.15)) t.data.fill(0);
      return t;
    };
    const opt = <T>(make: () => T): T | undefined => (d.bool() ? make() : undefined);
    const withOpt = <N extends object>(n: N, extra: Record<string, unknown>): N => {
      for (const [k, v] of Object.entries(extra)) if (v !== undefined) (n as Record<string, unknown>)[k] = v;
      return n;
    };
    switch (kind) {
      case 'I': return { kind, name, r: p() };
      case 'IF': return withOpt({ kind, name, r: p(), v_threshold: p() }, { v_reset: opt(() => p()) });
      case 'LI': return { kind, name, tau: tau(), r: p(), v_leak: p() };
      case 'LIF': return withOpt({ kind, name, tau: tau(), r: p(), v_leak: p(), v_threshold: p() }, { v_reset: opt(() => p()) });
      case 'CubaLI': return withOpt({ kind, name, tau_syn: tauSyn(), tau_mem: tau(), r: p(), v_leak: p() }, { w_in: opt(() => p()) });
      case 'CubaLIF':
        return withOpt({ kind, name, tau_syn: tauSyn(), tau_mem: tau(), r: p(), v_leak: p(), v_threshold: p() }, { v_reset: opt(() => p()), w_in: opt(() => p()) });
      case 'Threshold': return { kind, name, threshold: p() };
    }
  };
}

const currentLIF: Maker = (d, name, inp) => {
  const shape = d.bool() ? [...inp] : [numel(inp)];
  const r = d.int(1, 3);
  const node: FlatNode = {
    kind: 'CurrentLIF', name, shape,
    tau_mem: d.param(shape, 1e-3, 0.1), v_rest: d.param(shape, -70, -50), v_reset: d.param(shape, -70, -50),
    v_threshold: d.param(shape, -55, -40), t_ref: d.param(shape, 0, 0.01), tau_syn: d.tensor([r], 1e-3, 0.05),
  };
  // some receptors are delta synapses (tau_syn 0)
  for (let k = 0; k < r; k++) if (d.bool(0.25)) node.tau_syn.data[k] = 0;
  if (d.bool()) node.v_init = d.param(shape, -70, -50);
  if (d.bool()) node.receptors = ['exc', 'inh', 'nmda'].slice(0, r);
  return node;
};

const matrixOut = (d: Draw, inp: Shape): number => {
  const batch = numel(inp.slice(0, -1));
  return d.int(1, Math.max(1, Math.min(16, Math.floor(MAX_NEURONS / batch))));
};

const MAKERS: Record<string, Maker> = {
  Affine: (d, name, inp) => {
    const out = matrixOut(d, inp);
    return { kind: 'Affine', name, weight: d.tensor([out, inp[inp.length - 1]!]), bias: d.tensor(d.bool() ? [out] : [1]) };
  },
  Linear: (d, name, inp) => ({ kind: 'Linear', name, weight: d.tensor([matrixOut(d, inp), inp[inp.length - 1]!]) }),
  Scale: (d, name, inp) => ({ kind: 'Scale', name, scale: d.tensor(d.bool() ? [1] : [numel(inp)]) }),
  Delay: (d, name, inp) => ({ kind: 'Delay', name, delay: d.tensor(d.bool() ? [1] : [...inp], 0, 0.01) }),
  Flatten: (d, name, inp) => {
    const r = inp.length;
    const s = d.int(0, r - 1);
    const e = d.int(s, r - 1);
    const node: FlatNode = { kind: 'Flatten', name, start_dim: d.bool() ? s : s - r, end_dim: d.bool() ? e : e - r };
    if (d.bool(0.3)) node.input_type = [...inp];
    return node;
  },
};

const convMaker = (dims: 1 | 2): Maker => (d, name, inp) => {
  const cin = inp[0]!;
  const groups = d.bool(0.3) && cin > 1 ? cin : 1;
  const cout = groups * d.int(1, Math.max(1, Math.floor(3 / groups)));
  const ks = Array.from({ length: dims }, () => d.int(1, 3));
  const axes = (min: number, max: number) => Array.from({ length: dims }, () => d.int(min, max));
  const base = {
    name, weight: d.tensor([cout, cin / groups, ...ks]), bias: d.tensor(d.bool() ? [cout] : [1]),
    stride: axes(1, 2), padding: axes(0, 1), dilation: axes(1, 2), groups,
  };
  const withShape = d.bool(0.3) ? { input_shape: inp.slice(1) } : {};
  return dims === 1 ? { kind: 'Conv1d', ...base, ...withShape } : { kind: 'Conv2d', ...base, ...withShape };
};

const poolMaker = (kind: 'SumPool2d' | 'AvgPool2d'): Maker => (d, name) => ({
  kind, name, kernel_size: [d.int(1, 2), d.int(1, 2)], stride: [d.int(1, 2), d.int(1, 2)], padding: [d.int(0, 1), d.int(0, 1)],
});

const sparseLinear: Maker = (d, name, inp) => {
  const inSize = numel(inp);
  const outSize = d.int(1, 16);
  const indptr = [0];
  const indices: number[] = [];
  for (let i = 0; i < inSize; i++) {
    const k = d.int(0, Math.min(3, outSize));
    for (let j = 0; j < k; j++) indices.push(d.int(0, outSize - 1));
    indptr.push(indices.length);
  }
  const node: FlatNode = {
    kind: 'SparseLinear', name, in_size: inSize, out_size: outSize,
    indptr: d.index(indptr, indices.length), indices: d.index(indices, outSize - 1),
    weight: d.tensor([indices.length]), receptor: d.int(0, 2),
  };
  if (d.bool()) node.delay = d.index(indices.map(() => d.int(0, 5)), 5);
  return node;
};

/** Kind → maker for every kind that can take input of shape `inp`. */
function applicable(inp: Shape, all: boolean): Record<string, Maker> {
  const m: Record<string, Maker> = { ...MAKERS };
  for (const k of NEURON_KINDS) m[k] = neuronMaker(k);
  if (inp.length === 0) delete m.Flatten;
  if (inp.length === 2) m.Conv1d = convMaker(1);
  if (inp.length === 3) {
    m.Conv2d = convMaker(2);
    m.SumPool2d = poolMaker('SumPool2d');
    m.AvgPool2d = poolMaker('AvgPool2d');
  }
  if (all) {
    m.SparseLinear = sparseLinear;
    m.CurrentLIF = currentLIF;
  }
  return m;
}
