import { diag, isError, type Diagnostic } from '../errors.js';
import { isDiagnostics } from './nodes/checks.js';
import { isFlatKind, specOf } from './registry.js';
import { formatShape, numel, type Shape } from './tensor.js';
import type { Edge, FlatNode, Graph, NestedGraph } from './graph-types.js';

export type * from './graph-types.js';

export function nodeMap(g: Graph): Map<string, FlatNode> {
  return new Map(g.nodes.map((n) => [n.name, n]));
}

/** Topological order with the edges that close cycles (read at step t−1, docs/semantics.md §2). */
export interface Order {
  /** Node names in evaluation order. */
  order: string[];
  /** Indices into graph.edges of the edges that close a cycle. */
  backEdges: Set<number>;
}

/**
 * Deterministic order: depth-first from the source nodes (no incoming edge) in node-list order,
 * then from any node not yet reached, children in edge order; the result is the reverse postorder.
 * An edge to a node still on the DFS stack closes a cycle.
 */
export function topoOrder(g: { nodes: { name: string }[]; edges: Edge[] }): Order {
  const out = new Map<string, number[]>();
  const indeg = new Map<string, number>();
  for (const n of g.nodes) {
    out.set(n.name, []);
    indeg.set(n.name, 0);
  }
  g.edges.forEach((e, k) => {
    out.get(e.from)?.push(k);
    if (indeg.has(e.to)) indeg.set(e.to, indeg.get(e.to)! + 1);
  });
  const state = new Map<string, 0 | 1 | 2>(); // 0 new, 1 on stack, 2 done
  const post: string[] = [];
  const backEdges = new Set<number>();
  const visit = (root: string): void => {
    // iterative DFS (graphs from files can be deep)
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const edges = out.get(top.name)!;
      if (top.next < edges.length) {
        const k = edges[top.next++]!;
        const to = g.edges[k]!.to;
        if (!out.has(to)) continue;
        const s = state.get(to) ?? 0;
        if (s === 1) backEdges.add(k);
        else if (s === 0) {
          state.set(to, 1);
          stack.push({ name: to, next: 0 });
        }
      } else {
        state.set(top.name, 2);
        post.push(top.name);
        stack.pop();
      }
    }
  };
  for (const n of g.nodes) if (indeg.get(n.name) === 0 && !state.get(n.name)) visit(n.name);
  for (const n of g.nodes) if (!state.get(n.name)) visit(n.name);
  return { order: post.reverse(), backEdges };
}

/** Structural checks: names, edges, kinds. */
export function checkStructure(g: NestedGraph, where: { file?: string; prefix?: string } = {}): Diagnostic[] {
  const d: Diagnostic[] = [];
  const names = new Set<string>();
  const ctx = where.file ? { file: where.file } : {};
  const inGraph = where.prefix ? ` in subgraph '${where.prefix}'` : '';
  for (const n of g.nodes) {
    if (typeof n.name !== 'string' || n.name === '')
      d.push(diag('E_BAD_NAME', `a node has an empty name${inGraph}`, ctx));
    else if (names.has(n.name)) d.push(diag('E_DUPLICATE_NODE', `node name used twice${inGraph}`, { ...ctx, node: n.name }));
    names.add(n.name);
    if (n.kind !== 'NIRGraph' && !isFlatKind(n.kind))
      d.push(diag('E_UNKNOWN_KIND', `unknown node type '${String(n.kind)}'`, { ...ctx, node: n.name, hint: 'supported: NIR 0.1–1.x primitives and SparseLinear, SpikeSource, CurrentLIF' }));
  }
  const reported = new Set<string>();
  for (const e of g.edges) {
    for (const end of [e.from, e.to]) {
      if (!names.has(end) && !reported.has(end) && reported.add(end))
        d.push(diag('E_UNKNOWN_NODE', `edge ${e.from} → ${e.to} names unknown node '${end}'${inGraph}`, {
          ...ctx, node: where.prefix ?? end, hint: `known nodes: ${[...names].slice(0, 8).join(', ')}${names.size > 8 ? ', …' : ''}`,
        }));
    }
  }
  return d;
}

/** Input shape of every node and output shape of every node, after validation. */
export interface ShapeInfo {
  /** Output shape per node. */
  output: Map<string, Shape>;
  /** Input shape per node (absent for sources). */
  input: Map<string, Shape>;
  order: Order;
}

/**
 * Full validation of a flat graph: structure, parameters, cycles through stateless nodes only,
 * and shape inference along the topological order. Returns shapes when there is no error.
 */
export function analyze(g: Graph, file?: string): { shapes?: ShapeInfo; diagnostics: Diagnostic[] } {
  const ctx = file ? { file } : {};
  const d = checkStructure(g, ctx);
  if (d.some(isError)) return { diagnostics: d };
  for (const n of g.nodes) d.push(...specOf(n).validate(n).map((x) => ({ ...ctx, ...x })));
  if (d.some(isError)) return { diagnostics: d };
  const byName = nodeMap(g);
  for (const e of g.edges) {
    const k = byName.get(e.to)!.kind;
    if (k === 'Input' || k === 'SpikeSource') d.push(diag('E_BAD_EDGE', `edge ${e.from} → ${e.to} points into a source node`, { ...ctx, node: e.to, hint: `${k} nodes take no input` }));
  }
  d.push(...receptorRange(g, byName, ctx));
  d.push(...statelessCycles(g, ctx));
  if (d.some(isError)) return { diagnostics: d };

  const order = topoOrder(g);
  const output = new Map<string, Shape>();
  const input = new Map<string, Shape>();
  const incoming = new Map<string, number[]>();
  g.edges.forEach((e, k) => {
    if (!order.backEdges.has(k)) (incoming.get(e.to) ?? incoming.set(e.to, []).get(e.to)!).push(k);
  });
  for (const name of order.order) {
    const n = byName.get(name)!;
    let inShape: Shape | undefined;
    for (const k of incoming.get(name) ?? []) {
      const src = g.edges[k]!.from;
      const s = output.get(src);
      if (!s) continue;
      if (inShape === undefined) inShape = s;
      else if (numel(inShape) !== numel(s))
        d.push(diag('E_SHAPE_MISMATCH', `inputs disagree: '${src}' gives ${formatShape(s)}, another gives ${formatShape(inShape)}`, { ...ctx, node: name }));
    }
    if (inShape === undefined && (incoming.get(name)?.length ?? 0) === 0) {
      // a node fed only through cycle-closing edges: use the back edge's source shape later
      const back = g.edges.findIndex((e, k) => e.to === name && order.backEdges.has(k));
      if (back >= 0 && n.kind !== 'Input' && n.kind !== 'SpikeSource' && !specOf(n).neuron)
        d.push(diag('E_UNCONNECTED', 'is fed only through a cycle and has no shape of its own', { ...ctx, node: name }));
    }
    if (inShape) input.set(name, inShape);
    const r = specOf(n).outputShape(n, inShape);
    if (isDiagnostics(r)) {
      d.push(...r.map((x) => ({ ...ctx, ...x })));
      return { diagnostics: d };
    }
    output.set(name, r);
  }
  // cycle-closing edges: their source shape must fit the target's input
  for (const k of order.backEdges) {
    const e = g.edges[k]!;
    const s = output.get(e.from)!;
    const target = byName.get(e.to)!;
    const expect = input.get(e.to) ?? output.get(e.to)!;
    if (numel(s) !== numel(expect) && target.kind !== 'Output')
      d.push(diag('E_SHAPE_MISMATCH', `recurrent edge from '${e.from}' gives ${formatShape(s)}, node expects ${formatShape(expect)}`, { ...ctx, node: e.to }));
    if (!input.has(e.to)) input.set(e.to, s);
  }
  if (d.some(isError)) return { diagnostics: d };
  return { shapes: { output, input, order }, diagnostics: d };
}

/** A SparseLinear feeding a CurrentLIF must name one of its receptors (one per tau_syn value). */
function receptorRange(g: Graph, byName: Map<string, FlatNode>, ctx: { file?: string }): Diagnostic[] {
  const d: Diagnostic[] = [];
  for (const e of g.edges) {
    const src = byName.get(e.from)!;
    const dst = byName.get(e.to)!;
    if (src.kind !== 'SparseLinear' || dst.kind !== 'CurrentLIF') continue;
    const r = dst.tau_syn.data.length;
    if (src.receptor >= r)
      d.push(diag('E_BAD_RECEPTOR', `projection '${e.from}' feeds receptor ${src.receptor}, but '${e.to}' has ${r} receptor(s)`, {
        ...ctx, node: e.from, field: 'receptor', hint: `use a receptor in 0..${r - 1}`,
      }));
  }
  return d;
}

/** A cycle whose nodes are all stateless cannot be evaluated step by step: report it. */
function statelessCycles(g: Graph, ctx: { file?: string }): Diagnostic[] {
  const stateless = new Set(g.nodes.filter((n) => !specOf(n).stateful).map((n) => n.name));
  const sub = {
    nodes: g.nodes.filter((n) => stateless.has(n.name)),
    edges: g.edges.filter((e) => stateless.has(e.from) && stateless.has(e.to)),
  };
  const { backEdges } = topoOrder(sub);
  const d: Diagnostic[] = [];
  for (const k of backEdges) {
    const e = sub.edges[k]!;
    d.push(diag('E_STATELESS_CYCLE', `cycle through stateless nodes only (edge ${e.from} → ${e.to})`, {
      ...ctx, node: e.to, hint: 'a recurrent loop needs a neuron or a Delay on it',
    }));
  }
  return d;
}

/** Number of neurons in a graph: the elements of every neuron-population node. */
export function neuronCount(g: Graph, shapes: ShapeInfo): number {
  let n = 0;
  for (const node of g.nodes) if (specOf(node).neuron) n += numel(shapes.output.get(node.name)!);
  return n;
}
