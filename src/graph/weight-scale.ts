import { diag, NeuromeshError } from '../errors.js';
import type { FlatNode, Graph } from './graph.js';
import type { FloatTensor } from './tensor.js';

/**
 * Voltage/weight scaling of a graph: the same network in voltage units K times smaller. The
 * commands' `--weight-scale K` (and the chip's automatic choice) does the same on the lowered
 * network inside `compile` (src/chip/weight-scale.ts scaleNetwork; for a power of two the two give
 * the same program); this graph form is kept for tests and benches that compile a scaled graph
 * at scale 1. Fixed-point formats see K-times larger numbers (the NIR paper's SpiNNaker 2 run of the LIF
 * fixture uses K = 102.02). Every voltage-like parameter of a neuron (v_leak, v_threshold,
 * v_reset, v_rest, v_init; Threshold's threshold) is multiplied by K, and so is every input into
 * a neuron: the weights and biases of the linear node feeding it (Affine, Linear, Conv1d, Conv2d,
 * SparseLinear, Scale) when all of that node's consumers are neurons, otherwise a Scale node
 * `<neuron>.weight_scale<i>` is inserted on the edge. In exact arithmetic spikes are unchanged and
 * every voltage is K times the original: divide recorded v by K to get the model's units back.
 */
const NEURONS = new Set(['LIF', 'LI', 'IF', 'I', 'CubaLIF', 'CubaLI', 'CurrentLIF', 'Threshold']);
const VOLTAGES = ['v_leak', 'v_threshold', 'v_reset', 'v_rest', 'v_init', 'threshold'];
const LINEAR: Record<string, string[]> = {
  Affine: ['weight', 'bias'], Linear: ['weight'], Conv1d: ['weight', 'bias'], Conv2d: ['weight', 'bias'], SparseLinear: ['weight'], Scale: ['scale'],
};

function times(t: FloatTensor, k: number): FloatTensor {
  const data = t.data.map((x) => x * k) as typeof t.data;
  return { ...t, data } as FloatTensor;
}

function scaled<T extends FlatNode>(node: T, fields: readonly string[], k: number): T {
  const out: Record<string, unknown> = { ...node };
  for (const f of fields) {
    const v = out[f] as FloatTensor | undefined;
    if (v && typeof v === 'object' && 'data' in v) out[f] = times(v, k);
  }
  return out as T;
}

export function scaleVoltages(graph: Graph, k: number): Graph {
  if (!Number.isFinite(k) || k <= 0)
    throw new NeuromeshError([diag('E_BAD_OPTION', `--weight-scale ${k} must be a positive number`, { field: 'weight-scale', hint: 'e.g. --weight-scale 102.02' })]);
  if (k === 1) return graph;
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, string[]>();
  for (const e of graph.edges) (consumers.get(e.from) ?? consumers.set(e.from, []).get(e.from)!).push(e.to);
  const replaced = new Map<string, FlatNode>();
  const extra: FlatNode[] = [];
  const edges: Graph['edges'] = [];
  for (const n of graph.nodes) if (NEURONS.has(n.kind)) replaced.set(n.name, scaled(n, VOLTAGES, k));
  let inserted = 0;
  for (const e of graph.edges) {
    const to = byName.get(e.to)!;
    const from = byName.get(e.from)!;
    if (!NEURONS.has(to.kind)) {
      edges.push(e);
      continue;
    }
    const fields = LINEAR[from.kind];
    if (fields && (consumers.get(from.name) ?? []).every((c) => NEURONS.has(byName.get(c)!.kind))) {
      if (!replaced.has(from.name)) replaced.set(from.name, scaled(from, fields, k));
      edges.push(e);
      continue;
    }
    let name = `${to.name}.weight_scale${inserted++}`;
    while (byName.has(name)) name = `${to.name}.weight_scale${inserted++}`;
    extra.push({ kind: 'Scale', name, scale: { dtype: 'float64', shape: [1], data: Float64Array.of(k) } });
    edges.push({ ...e, to: name }, { from: name, to: e.to });
  }
  return { ...graph, nodes: [...graph.nodes.map((n) => replaced.get(n.name) ?? n), ...extra], edges };
}
