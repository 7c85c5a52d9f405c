import { diag, isError, type Diagnostic } from '../errors.js';
import { checkStructure, type Edge, type FlatNode, type Graph, type NestedGraph, type Node } from './graph.js';

/** Deepest nesting of NIRGraph subgraphs accepted (runaway nesting is refused). */
export const MAX_NESTING = 32;

/**
 * Flatten nested NIRGraph subgraphs into one graph with dotted names (`lif1.lif`).
 * Edges that point at a subgraph by its name go to its Input port (or come from its Output port);
 * the port nodes themselves disappear, so a correctly nested graph flattens to the same graph as
 * its flat equivalent. Structure is checked at every level, naming the subgraph.
 */
export function flattenGraph(g: NestedGraph, file?: string): { graph?: Graph; diagnostics: Diagnostic[] } {
  const d: Diagnostic[] = [];
  const res = flattenLevel(g, '', 0, file, d);
  if (!res || d.some(isError)) return { diagnostics: d };
  const names = new Set<string>();
  for (const n of res.nodes) {
    if (names.has(n.name))
      d.push(diag('E_NAME_COLLISION', `two nodes are named '${n.name}' after flattening subgraphs`, { ...(file ? { file } : {}), node: n.name, hint: 'rename the top-level node or the subgraph' }));
    names.add(n.name);
  }
  if (d.some(isError)) return { diagnostics: d };
  const graph: Graph = { nodes: res.nodes, edges: res.edges };
  if (g.nirVersion !== undefined) graph.nirVersion = g.nirVersion;
  if (g.metadata !== undefined) graph.metadata = g.metadata;
  return { graph, diagnostics: d };
}

interface Level {
  nodes: FlatNode[];
  edges: Edge[];
}

function flattenLevel(g: NestedGraph, prefix: string, depth: number, file: string | undefined, d: Diagnostic[]): Level | undefined {
  const ctx = file ? { file } : {};
  if (depth > MAX_NESTING) {
    d.push(diag('E_NESTING', `subgraphs nested deeper than ${MAX_NESTING} levels`, { ...ctx, node: prefix.slice(0, -1), hint: 'the file is probably corrupt or hostile' }));
    return undefined;
  }
  const structural = checkStructure(g, { ...ctx, ...(prefix ? { prefix: prefix.slice(0, -1) } : {}) });
  d.push(...structural);
  if (structural.some(isError)) return undefined;

  const nodes: FlatNode[] = [];
  const edges: Edge[] = [];
  // For each subgraph: the flat names behind its ports.
  const subs = new Map<string, { inputs: string[]; outputs: string[]; portIn: Map<string, string[]>; portOut: Map<string, string[]> }>();
  for (const n of g.nodes as Node[]) {
    if (n.kind !== 'NIRGraph') {
      nodes.push({ ...n, name: prefix + n.name } as FlatNode);
      continue;
    }
    const inner = flattenLevel({ nodes: n.nodes, edges: n.edges }, `${prefix}${n.name}.`, depth + 1, file, d);
    if (!inner) return undefined;
    const p = `${prefix}${n.name}.`;
    const inputs = n.nodes.filter((x) => x.kind === 'Input').map((x) => p + x.name);
    const outputs = n.nodes.filter((x) => x.kind === 'Output').map((x) => p + x.name);
    const ports = new Set([...inputs, ...outputs]);
    // Targets of each input port, sources of each output port (port nodes are removed).
    const portIn = new Map(inputs.map((q) => [q, inner.edges.filter((e) => e.from === q).map((e) => e.to)]));
    const portOut = new Map(outputs.map((q) => [q, inner.edges.filter((e) => e.to === q).map((e) => e.from)]));
    nodes.push(...inner.nodes.filter((x) => !ports.has(x.name)));
    edges.push(...inner.edges.filter((e) => !ports.has(e.from) && !ports.has(e.to)));
    subs.set(n.name, { inputs, outputs, portIn, portOut });
  }
  const resolve = (end: string, dir: 'in' | 'out'): string[] | undefined => {
    const dot = end.indexOf('.');
    const head = dot < 0 ? end : end.slice(0, dot);
    const s = subs.get(head);
    if (!s) return [prefix + end];
    const ports = dir === 'in' ? s.inputs : s.outputs;
    let port: string | undefined;
    if (dot >= 0) port = `${prefix}${end}`;
    else if (ports.length === 1) port = ports[0];
    if (!port || !ports.includes(port)) {
      d.push(diag('E_AMBIGUOUS_PORT', `edge names subgraph '${end}' which has ${ports.length} ${dir === 'in' ? 'Input' : 'Output'} ports`, {
        ...ctx, node: prefix + head, hint: `address a port as '${head}.<port>'`,
      }));
      return undefined;
    }
    return (dir === 'in' ? s.portIn : s.portOut).get(port)!;
  };
  for (const e of g.edges) {
    const from = resolve(e.from, 'out');
    const to = resolve(e.to, 'in');
    if (!from || !to) return undefined;
    for (const f of from) for (const t of to) edges.push({ from: f, to: t });
  }
  return { nodes, edges };
}
