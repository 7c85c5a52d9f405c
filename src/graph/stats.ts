import type { FlatNode, Graph, ShapeInfo } from './graph.js';
import { specOf } from './registry.js';
import type { SynapseCount } from './spec.js';
import { numel, type FloatTensor, type IndexArray, type Shape } from './tensor.js';

/** One row of the node table of `neuromesh inspect` (docs/semantics.md §5). */
export interface NodeStats {
  name: string;
  kind: FlatNode['kind'];
  /** Output shape (for Output nodes: the shape of the value that leaves the graph). */
  shape: Shape;
  /** Neurons this node holds: numel(shape) for neuron populations, 0 otherwise. */
  neurons: number;
  /** Parameter values stored in the node: elements of its tensor and index arrays. */
  parameters: number;
  /** Bytes of those arrays (dtype size × length). */
  parameterBytes: number;
  /** Synapse counts of connection nodes (those whose spec has `synapses()`); null otherwise. */
  synapses: SynapseCount | null;
}

/** The inspect fields of docs/semantics.md §5. */
export interface GraphStats {
  totals: {
    neurons: number;
    synapses: SynapseCount;
    parameterBytes: number;
  };
  /** Nodes in evaluation (topological) order. */
  nodes: NodeStats[];
  /** Edges in the graph's order, as [from, to]. */
  edges: [string, string][];
  /** NIR version the graph was read from, null when it did not come from a NIR file. */
  nirVersion: string | null;
}

function isTensor(v: unknown): v is FloatTensor {
  return typeof v === 'object' && v !== null && 'data' in v && ArrayBuffer.isView((v as { data: unknown }).data);
}

/**
 * Parameter arrays of a node, found through its spec's field table: `tensor` fields (FloatTensor)
 * and `index` fields (CSR pointers, indices, delays). Integer lists such as stride or shape are
 * hyper-parameters, not parameter arrays.
 */
export function parameterArrays(node: FlatNode): { field: string; array: FloatTensor['data'] | IndexArray }[] {
  const out: { field: string; array: FloatTensor['data'] | IndexArray }[] = [];
  const record = node as unknown as Record<string, unknown>;
  for (const f of specOf(node).fields) {
    const v = record[f.name];
    if (v === undefined) continue;
    if (f.type === 'tensor' && isTensor(v)) out.push({ field: f.name, array: v.data });
    else if (f.type === 'index' && ArrayBuffer.isView(v)) out.push({ field: f.name, array: v as IndexArray });
  }
  return out;
}

/**
 * Counts of a validated graph: neurons (Σ numel over neuron populations), synapses (Σ over
 * connection nodes of the spec's exact counts: a conv's shared kernel is `stored` once and counted
 * per connection in `nonzero`; padding taps are not synapses) and parameter bytes.
 */
export function graphStats(graph: Graph, shapes: ShapeInfo): GraphStats {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const totals = { neurons: 0, synapses: { dense: 0, nonzero: 0, stored: 0 }, parameterBytes: 0 };
  const nodes: NodeStats[] = [];
  // evaluation order first; any node the order missed (cannot happen after analyze) at the end
  const ordered = new Set(shapes.order.order);
  const names = [...shapes.order.order, ...graph.nodes.map((n) => n.name).filter((n) => !ordered.has(n))];
  for (const name of names) {
    const node = byName.get(name);
    if (!node) continue;
    const spec = specOf(node);
    const shape = shapes.output.get(name) ?? [];
    const neurons = spec.neuron ? numel(shape) : 0;
    let parameters = 0;
    let parameterBytes = 0;
    for (const { array } of parameterArrays(node)) {
      parameters += array.length;
      parameterBytes += array.byteLength;
    }
    let synapses: SynapseCount | null = null;
    const input = shapes.input.get(name);
    if (spec.synapses && input) {
      const s = spec.synapses(node, input);
      synapses = { dense: s.dense, nonzero: s.nonzero, stored: s.stored };
      totals.synapses.dense += s.dense;
      totals.synapses.nonzero += s.nonzero;
      totals.synapses.stored += s.stored;
    }
    totals.neurons += neurons;
    totals.parameterBytes += parameterBytes;
    nodes.push({ name, kind: node.kind, shape: [...shape], neurons, parameters, parameterBytes, synapses });
  }
  return {
    totals,
    nodes,
    edges: graph.edges.map((e) => [e.from, e.to]),
    nirVersion: graph.nirVersion ?? null,
  };
}
