/**
 * HDF5 tree of a NIR file → NestedGraph. Reads NIR 0.1 to 1.x layouts: root dataset `version`,
 * group `node` (type NIRGraph, `edges` E×2 strings, `nodes/<name>/…`), nested NIRGraph nodes of
 * the same structure, `metadata` groups. Stops at the first problem (one Diagnostic).
 */
import { MAX_NESTING } from '../graph/flatten.js';
import type { Edge, NestedGraph, Node } from '../graph/graph.js';
import type { Conv1dNode } from '../graph/nodes/conv1d.js';
import { isFlatKind, PRIMITIVES } from '../graph/registry.js';
import type { Metadata } from '../graph/spec.js';
import { asDataset, child, fail, groupKeys, readStrings, readString, type H5Group, type ReadContext, type Where } from './hdf5-read.js';
import { readMetadata } from './nir-metadata.js';
import { readFields, resolvePadding } from './nir-fields.js';

/** Most nodes in one file (all levels) and edges in one graph level. */
export const MAX_NODES = 20_000;
export const MAX_EDGES = 10_000_000;
/** NIR major versions read. */
export const NIR_MAJOR_MAX = 1;

export interface NirReadResult {
  graph: NestedGraph;
  /** Dotted names of Output nodes whose shape NIR 0.1 writers left out (inferred later). */
  outputsWithoutShape: string[];
}

interface State {
  ctx: ReadContext;
  nodes: number;
  outputsWithoutShape: string[];
}

/** Parse and check a NIR version string ('0.1.1', '1.0.0', '1.0'). */
export function checkVersion(v: string, where: Where): string {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?([-.+a-z0-9]*)\s*$/i.exec(v);
  if (!m) fail('E_BAD_VERSION', `version '${v.slice(0, 40)}' is not a NIR version number`, where, 'NIR files store e.g. "1.0.0" in the root dataset `version`');
  const major = Number(m[1]);
  if (major > NIR_MAJOR_MAX) fail('E_VERSION', `NIR version ${v.trim()} is newer than this reader (0.1 to 1.x)`, where, 'upgrade neuromesh, or re-export the model as NIR 1.x');
  return v.trim();
}

export function readNirTree(ctx: ReadContext, root: H5Group): NirReadResult {
  const file = ctx.file ? { file: ctx.file } : {};
  const keys = groupKeys(ctx, root, file, 4096);
  let nirVersion: string | undefined;
  if (keys.includes('version')) {
    const at: Where = { ...file, field: 'version' };
    const ds = asDataset(ctx, child(ctx, root, 'version', at), at, 'a string dataset');
    nirVersion = checkVersion(readString(ctx, ds, at), at);
  }
  if (!keys.includes('node'))
    fail('E_NOT_NIR', `no group 'node' at the root (found: ${keys.slice(0, 6).join(', ') || 'nothing'})`, file, 'this HDF5 file is not a NIR graph');
  const nodeGroup = child(ctx, root, 'node', { ...file, field: 'node' });
  if (!(nodeGroup instanceof ctx.h5.Group)) fail('E_NOT_NIR', "'node' at the root is not a group", file, 'this HDF5 file is not a NIR graph');
  const st: State = { ctx, nodes: 0, outputsWithoutShape: [] };
  const top = readGraphGroup(st, nodeGroup, '', 0);
  const graph: NestedGraph = { nodes: top.nodes, edges: top.edges };
  if (nirVersion !== undefined) graph.nirVersion = nirVersion;
  if (top.metadata) graph.metadata = top.metadata;
  return { graph, outputsWithoutShape: st.outputsWithoutShape };
}

interface Level {
  nodes: Node[];
  edges: Edge[];
  metadata?: Metadata;
}

function readGraphGroup(st: State, g: H5Group, prefix: string, depth: number): Level {
  const { ctx } = st;
  const file = ctx.file ? { file: ctx.file } : {};
  const where: Where = prefix ? { ...file, node: prefix.slice(0, -1) } : file;
  const keys = new Set(groupKeys(ctx, g, where, 4096));
  if (keys.has('type')) {
    const at = { ...where, field: 'type' };
    const t = readString(ctx, asDataset(ctx, child(ctx, g, 'type', at), at, 'a string dataset'), at);
    if (t !== 'NIRGraph') fail('E_NOT_NIR', `the graph group has type '${t.slice(0, 40)}', expected 'NIRGraph'`, at);
  }
  if (!keys.has('nodes')) fail('E_MISSING_FIELD', "graph has no 'nodes' group", { ...where, field: 'nodes' });
  const nodesGroup = child(ctx, g, 'nodes', { ...where, field: 'nodes' });
  if (!(nodesGroup instanceof ctx.h5.Group)) fail('E_WRONG_TYPE', "'nodes' is not a group", { ...where, field: 'nodes' });
  const names = groupKeys(ctx, nodesGroup, { ...where, field: 'nodes' }, MAX_NODES);
  const nodes: Node[] = [];
  for (const name of names) {
    if (++st.nodes > MAX_NODES) fail('E_ABSURD_SIZE', `more than ${MAX_NODES} nodes`, where, 'the file is corrupt or hostile');
    const at: Where = { ...file, node: prefix + name };
    const ng = child(ctx, nodesGroup, name, at);
    if (!(ng instanceof ctx.h5.Group)) fail('E_WRONG_TYPE', `node is ${ng instanceof ctx.h5.Dataset ? 'a dataset' : 'not a group'}, expected a group with a 'type'`, at);
    nodes.push(readNode(st, ng, name, prefix, depth));
  }
  const edges = keys.has('edges') ? readEdges(ctx, g, { ...where, field: 'edges' }) : [];
  const out: Level = { nodes, edges };
  if (keys.has('metadata')) {
    const m = child(ctx, g, 'metadata', { ...where, field: 'metadata' });
    if (m instanceof ctx.h5.Group) out.metadata = readMetadata(ctx, m, where);
  }
  return out;
}

function readEdges(ctx: ReadContext, g: H5Group, at: Where): Edge[] {
  const ds = asDataset(ctx, child(ctx, g, 'edges', at), at, 'an E×2 string dataset');
  const { shape, values } = readStrings(ctx, ds, at, 2 * MAX_EDGES);
  if (values.length === 0) return [];
  if (shape.length !== 2 || shape[1] !== 2) fail('E_BAD_DATASET', `edges must be an E×2 string array, found shape [${shape.join(', ')}]`, at);
  const edges: Edge[] = [];
  for (let i = 0; i < values.length; i += 2) edges.push({ from: values[i]!, to: values[i + 1]! });
  return edges;
}

function readNode(st: State, g: H5Group, name: string, prefix: string, depth: number): Node {
  const { ctx } = st;
  const file = ctx.file ? { file: ctx.file } : {};
  const where: Where = { ...file, node: prefix + name };
  const keys = new Set(groupKeys(ctx, g, where, 4096));
  if (!keys.has('type')) fail('E_MISSING_FIELD', "node has no 'type'", { ...where, field: 'type' }, 'every NIR node group holds a string dataset `type`');
  const kind = readString(ctx, asDataset(ctx, child(ctx, g, 'type', { ...where, field: 'type' }), { ...where, field: 'type' }, 'a string dataset'), { ...where, field: 'type' });
  let metadata: Metadata | undefined;
  if (keys.has('metadata')) {
    const m = child(ctx, g, 'metadata', { ...where, field: 'metadata' });
    if (m instanceof ctx.h5.Group) metadata = readMetadata(ctx, m, where);
  }
  if (kind === 'NIRGraph') {
    if (depth + 1 > MAX_NESTING)
      fail('E_NESTING', `subgraphs nested deeper than ${MAX_NESTING} levels`, where, 'the file is probably corrupt or hostile');
    const inner = readGraphGroup(st, g, `${prefix}${name}.`, depth + 1);
    const node: Node = { kind: 'NIRGraph', name, nodes: inner.nodes, edges: inner.edges };
    const meta = inner.metadata ?? metadata;
    if (meta) node.metadata = meta;
    return node;
  }
  if (!isFlatKind(kind))
    fail('E_UNKNOWN_KIND', `unknown node type '${kind.slice(0, 40)}'`, { ...where, field: 'type' }, 'supported: NIR 0.1–1.x primitives and SparseLinear, SpikeSource, CurrentLIF');
  const spec = PRIMITIVES[kind];
  const r = readFields(ctx, g, kind, spec.fields, where);
  const node = { kind, name, ...r.fields } as Record<string, unknown>;
  if (r.paddingString !== undefined) {
    const c = node as unknown as Conv1dNode;
    node.padding = resolvePadding(r.paddingString, c.weight, c.stride, c.dilation, kind === 'Conv1d' ? 1 : 2, where);
  }
  if (r.inferred.includes('shape') && kind === 'Output') st.outputsWithoutShape.push(prefix + name);
  if (metadata) node.metadata = metadata;
  return node as unknown as Node;
}
