import type { Population, Projection, Network } from '../../src/chip/program.js';
import { diag, NeuromeshError, type Diagnostic } from '../../src/errors.js';
import type { FlatNode, Graph, ShapeInfo } from '../../src/graph/graph.js';
import { numel, perNeuron } from '../../src/graph/tensor.js';
import type { PassContext } from '../context.js';
import { linearOp } from '../ops.js';
import { addRows, applyOp, delayed, delaySum, identity, toPreMajor, type SparseRows } from '../sparse.js';

/** Kinds whose output is a graded value (not spikes): they cannot drive synapses. */
const GRADED = new Set(['LI', 'I', 'CubaLI']);

/** A signal between populations: per source population a linear map, plus a constant term. */
interface Signal {
  rows: number;
  terms: Map<number, SparseRows>;
  bias?: Float64Array;
  /** Graph nodes composed so far (for names). */
  nodes: string[];
  /** Receptor chosen by the nearest SparseLinear. */
  receptor: number;
}

const STORED: Record<string, (n: FlatNode) => number> = {
  Affine: (n) => (n.kind === 'Affine' ? n.weight.data.length + n.bias.data.length : 0),
  Linear: (n) => (n.kind === 'Linear' ? n.weight.data.length : 0),
  Conv1d: (n) => (n.kind === 'Conv1d' ? n.weight.data.length + n.bias.data.length : 0),
  Conv2d: (n) => (n.kind === 'Conv2d' ? n.weight.data.length + n.bias.data.length : 0),
  Scale: (n) => (n.kind === 'Scale' ? n.scale.data.length : 0),
  SparseLinear: (n) => (n.kind === 'SparseLinear' ? n.indices.length : 0),
};

/**
 * What a SpikeSource needs at run time, so that a program (.nmp) holds it: `rate` per neuron (Hz)
 * or `spikes` (flat counts, [T · size]); `seed` when the node has one.
 */
function sourceParams(node: FlatNode, size: number): Record<string, Float64Array> {
  if (node.kind !== 'SpikeSource') return {};
  const out: Record<string, Float64Array> = {};
  if (node.spikes) {
    out.spikes = Float64Array.from(node.spikes.data);
  } else out.rate = perNeuron(node.rate!, size);
  if (node.seed !== undefined) out.seed = Float64Array.of(node.seed);
  return out;
}

/** Neuron parameters of a population node, broadcast-free (1 value or one per neuron). */
function paramsOf(node: FlatNode, size: number): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'kind' || k === 'name' || k === 'metadata' || k === 'spikes' || k === 'shape') continue;
    if (v && typeof v === 'object' && 'dtype' in v && 'data' in v) {
      const t = v as { data: Float32Array | Float64Array };
      out[k] = t.data.length === 1 || k === 'tau_syn' ? Float64Array.from(t.data) : perNeuron(v as Parameters<typeof perNeuron>[0], size);
    }
  }
  return out;
}

/**
 * Lowering: stateful nodes → populations, Input/SpikeSource → source populations, every chain of
 * stateless nodes between populations → one composed projection per (path-merge, source) with
 * biases folded into a constant input current, Delay → synaptic delay.
 *
 * Timing under `delay: 1` (docs/semantics.md §1–§2): the chip's one tick of transport is the step that
 * every edge into a neuron adds; an edge that closes a cycle (topoOrder's back edges) reads its
 * source one step earlier on top of that, so every back edge on a composed chain adds one step of
 * synaptic delay (a recurrent loop then takes 2 steps, as in the reference). With `delay: 0` the
 * transport tick already stands for the back edge's step and nothing is added.
 */
export function lower(graph: Graph, shapes: ShapeInfo, ctx: PassContext): Network {
  const lowerTable = ctx.backend.lower;
  const chip = ctx.backend.id;
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const errors: Diagnostic[] = [];
  const populations: Population[] = [];
  const popOf = new Map<string, number>();
  for (const node of graph.nodes) {
    const as = lowerTable[node.kind]?.as;
    if (as !== 'population' && as !== 'source') continue;
    const shape = shapes.output.get(node.name)!;
    const size = numel(shape);
    const pop: Population = {
      index: populations.length,
      name: node.name,
      kind: node.kind,
      role: as === 'source' ? 'source' : 'neuron',
      size,
      shape,
      params: as === 'population' ? paramsOf(node, size) : sourceParams(node, size),
      receptors: node.kind === 'CurrentLIF' ? node.tau_syn.data.length : 1,
      spiking: !GRADED.has(node.kind),
      output: false,
    };
    popOf.set(node.name, pop.index);
    populations.push(pop);
  }
  /** Incoming edges per node: source name and the extra steps the edge adds on chip (back edges under delay 1). */
  const incoming = new Map<string, { from: string; lag: number }[]>();
  const backLag = ctx.config.delay === 1 ? 1 : 0;
  graph.edges.forEach((e, k) => (incoming.get(e.to) ?? incoming.set(e.to, []).get(e.to)!).push({ from: e.from, lag: shapes.order.backEdges.has(k) ? backLag : 0 }));

  const memo = new Map<string, Signal>();
  const visiting = new Set<string>();
  /** The signal a node outputs, as maps from source populations. */
  const signal = (name: string): Signal | undefined => {
    const p = popOf.get(name);
    if (p !== undefined) {
      const pop = populations[p]!;
      return { rows: pop.size, terms: new Map([[p, identity(pop.size)]]), nodes: [], receptor: 0 };
    }
    const cached = memo.get(name);
    if (cached) return cached;
    const node = byName.get(name)!;
    if (visiting.has(name)) {
      errors.push(diag('E_UNSUPPORTED', 'a cycle through Delay or stateless nodes without a neuron cannot be mapped', { node: name, chip }));
      return undefined;
    }
    visiting.add(name);
    const input = sumOf(name);
    visiting.delete(name);
    if (!input) return undefined;
    const op = linearOp(node, shapes.input.get(name) ?? [], shapes.output.get(name)!, ctx.config.dt, ctx.config.delay === 1 ? 1 : 0);
    if (!op) {
      errors.push(diag('E_UNSUPPORTED', `${node.kind} cannot be composed into a projection on this chip`, { node: name, chip }));
      return undefined;
    }
    const out: Signal = { rows: op.outRows, terms: new Map(), nodes: [...input.nodes, name], receptor: node.kind === 'SparseLinear' ? node.receptor : input.receptor };
    for (const [src, m] of input.terms) out.terms.set(src, applyOp(m, op.outRows, op.each, op.delay, op.emitsDelays));
    if (input.bias || op.bias) {
      const b = new Float64Array(op.outRows);
      for (let r = 0; r < op.outRows; r++) {
        let v = op.bias ? op.bias(r) : 0;
        if (input.bias) op.each(r, (i, c) => (v += c * input.bias![i]!));
        b[r] = v;
      }
      if (b.some((v) => v !== 0)) out.bias = b;
    }
    memo.set(name, out);
    return out;
  };
  /** Sum of the signals on a node's incoming edges. */
  const sumOf = (name: string): Signal | undefined => {
    let acc: Signal | undefined;
    for (const { from, lag } of incoming.get(name) ?? []) {
      const s0 = signal(from);
      if (!s0) return undefined;
      const s = lag ? later(s0, lag) : s0;
      acc = acc ? merge(acc, s) : { ...s, terms: new Map(s.terms) };
    }
    return acc;
  };

  const projections: Projection[] = [];
  const addProjection = (src: number, post: Population, m: SparseRows, nodes: string[], receptor: number, direct?: FlatNode, lag = 0): void => {
    const pre = populations[src]!;
    if (!pre.spiking) {
      errors.push(diag('E_GRADED_VALUE', `${pre.kind} outputs a graded value, which cannot drive synapses into '${post.name}'`, {
        node: pre.name, chip, hint: 'only spiking nodes (IF, LIF, CubaLIF, CurrentLIF, Threshold, inputs) can feed a population on a spiking chip',
      }));
      return;
    }
    if (receptor >= post.receptors) {
      errors.push(diag('E_BAD_FIELD', `receptor ${receptor} does not exist on '${post.name}' (${post.receptors} receptors)`, { node: nodes[nodes.length - 1] ?? post.name, field: 'receptor', chip }));
      return;
    }
    const stored = nodes.reduce((a, n) => a + (STORED[byName.get(n)!.kind]?.(byName.get(n)!) ?? 0), 0);
    if (direct && direct.kind === 'SparseLinear') {
      let delay = direct.delay;
      if (lag) {
        const d = new Uint32Array(direct.indices.length);
        for (let s = 0; s < d.length; s++) d[s] = delaySum((direct.delay ? direct.delay[s]! : 0) + lag, direct.name);
        delay = d;
      }
      projections.push({
        index: projections.length, name: direct.name, nodes: [direct.name], pre: src, post: post.index, receptor: direct.receptor,
        indptr: direct.indptr, target: direct.indices, weight: direct.weight.data, ...(delay ? { delay } : {}), storedWeights: stored,
      });
      return;
    }
    const pm = toPreMajor(m);
    projections.push({
      index: projections.length, name: nodes.join('+') || `${pre.name}→${post.name}`, nodes, pre: src, post: post.index, receptor,
      indptr: pm.indptr, target: pm.target, weight: pm.weight, ...(pm.delay ? { delay: pm.delay } : {}), storedWeights: stored,
    });
  };

  for (const node of graph.nodes) {
    const as = lowerTable[node.kind]?.as;
    if (as === 'port') {
      // an Output must be fed directly by populations: a graded chain cannot be computed here
      for (const { from } of incoming.get(node.name) ?? []) {
        const p = popOf.get(from);
        if (p !== undefined) populations[p]!.output = true;
        else errors.push(diag('E_GRADED_VALUE', `output is computed by '${from}' (${byName.get(from)!.kind}), a graded value the chip cannot produce`, {
          node: node.name, chip, hint: 'end the network with a neuron population before the Output',
        }));
      }
      continue;
    }
    if (as !== 'population') continue;
    const post = populations[popOf.get(node.name)!]!;
    // a Threshold is stateless in the reference (its input edge takes no step under delay 1), but
    // on a chip it is a population whose input crosses one tick of transport: say so
    if (node.kind === 'Threshold' && ctx.config.delay === 1 && (incoming.get(node.name) ?? []).some((e) => e.lag === 0))
      ctx.diagnostics.push(diag('W_THRESHOLD_STEP', 'this Threshold fires one step later on the chip than in the reference: its input crosses one tick of transport, the reference gives it none', {
        severity: 'warning', node: node.name, chip, ...(ctx.file ? { file: ctx.file } : {}),
        hint: 'expect its spikes and everything downstream one step late against --compare and check: a chip population cannot fire in the tick its input arrives',
      }));
    let bias: Float64Array | undefined;
    for (const { from, lag } of incoming.get(node.name) ?? []) {
      const fromNode = byName.get(from)!;
      // fast path: a SparseLinear fed straight by one population keeps its CSR arrays
      const feeders = incoming.get(from) ?? [];
      if (fromNode.kind === 'SparseLinear' && feeders.length === 1 && popOf.has(feeders[0]!.from)) {
        addProjection(popOf.get(feeders[0]!.from)!, post, identity(0), [from], fromNode.receptor, fromNode, lag + feeders[0]!.lag);
        continue;
      }
      const s0 = signal(from);
      if (!s0) continue;
      const s = lag ? later(s0, lag) : s0;
      for (const [src, m] of s.terms) addProjection(src, post, m, s.nodes, s.receptor);
      if (s.bias) {
        bias ??= new Float64Array(post.size);
        for (let i = 0; i < post.size; i++) bias[i]! += s.bias[i]!;
      }
    }
    if (bias && bias.some((v) => v !== 0)) post.bias = bias;
  }
  if (errors.length) throw new NeuromeshError(errors.map((d) => (ctx.file ? { file: ctx.file, ...d } : d)));
  return { populations, projections };
}

/** A signal read `lag` steps later (a back edge under delay 1): every term delayed, the constant bias unchanged. */
function later(s: Signal, lag: number): Signal {
  const terms = new Map<number, SparseRows>();
  for (const [src, m] of s.terms) terms.set(src, delayed(m, lag));
  return { ...s, terms };
}

function merge(a: Signal, b: Signal): Signal {
  const terms = new Map(a.terms);
  for (const [src, m] of b.terms) terms.set(src, terms.has(src) ? addRows(terms.get(src)!, m) : m);
  let bias = a.bias;
  if (b.bias) {
    bias = a.bias ? a.bias.map((v, i) => v + b.bias![i]!) : b.bias;
  }
  const nodes = [...a.nodes, ...b.nodes.filter((n) => !a.nodes.includes(n))];
  return { rows: a.rows, terms, ...(bias ? { bias } : {}), nodes, receptor: a.receptor || b.receptor };
}
