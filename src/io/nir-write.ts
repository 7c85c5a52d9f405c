/**
 * NestedGraph → NIR 1.0-layout HDF5 (as NIR's own nir.write lays it out): root dataset
 * `version` (variable-length UTF-8 string '1.0.0'), group `node` with `type` = 'NIRGraph',
 * `edges` (E×2 variable-length UTF-8 strings), `nodes/<name>/` with `type` and one dataset per
 * field (float32/float64 kept, integer lists as int64), `metadata` groups. Groups track creation
 * order so nodes read back in the order they were written.
 */
import { diag } from '../errors.js';
import { NeuromeshError } from '../errors.js';
import type { Edge, NestedGraph, Node } from '../graph/graph.js';
import { PRIMITIVES } from '../graph/registry.js';
import type { FieldType, Metadata } from '../graph/spec.js';
import type { FloatTensor, IndexArray } from '../graph/tensor.js';
import type { H5Group } from './hdf5-read.js';
import { writeMetadata } from './nir-metadata.js';

/** The NIR version neuromesh writes. */
export const NIR_WRITE_VERSION = '1.0.0';

export interface WriteOptions {
  gzip?: boolean;
}

function ints64(v: readonly number[]): BigInt64Array {
  return BigInt64Array.from(v.map((x) => BigInt(x)));
}

/** Chunked gzip for non-empty arrays (HDF5 cannot compress scalars or empty datasets). */
function compress(shape: readonly number[], n: number, opts: WriteOptions): { chunks?: number[]; compression?: 'gzip' } {
  if (!opts.gzip || shape.length === 0 || n === 0) return {};
  return { chunks: [...shape], compression: 'gzip' };
}

/** Writers per field type: field value → dataset `name` in `g`. */
export const FIELD_WRITERS: { [T in FieldType]: (g: H5Group, name: string, v: unknown, opts: WriteOptions) => void } = {
  tensor: (g, name, v, opts) => {
    const t = v as FloatTensor;
    g.create_dataset({ name, data: t.data, shape: [...t.shape], ...compress(t.shape, t.data.length, opts) });
  },
  ints: (g, name, v, opts) => {
    const a = v as number[];
    g.create_dataset({ name, data: ints64(a), shape: [a.length], ...compress([a.length], a.length, opts) });
  },
  int: (g, name, v) => {
    g.create_dataset({ name, data: ints64([v as number]), shape: [] });
  },
  float: (g, name, v) => {
    g.create_dataset({ name, data: Float64Array.of(v as number), shape: [] });
  },
  string: (g, name, v) => {
    g.create_dataset({ name, data: v as string });
  },
  strings: (g, name, v) => {
    const a = v as string[];
    if (a.length) g.create_dataset({ name, data: a, shape: [a.length] });
    else g.create_dataset({ name, data: [] as string[], shape: [0], dtype: 'S' });
  },
  index: (g, name, v, opts) => {
    const a = v as IndexArray;
    g.create_dataset({ name, data: a, shape: [a.length], ...compress([a.length], a.length, opts) });
  },
};

function checkName(name: string, where: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0'))
    throw new NeuromeshError([diag('E_BAD_NAME', `node name '${name}' cannot be stored in HDF5`, { node: name, hint: `names must be non-empty, without '/', and not '.' or '..' (${where})` })]);
}

function writeEdges(g: H5Group, edges: readonly Edge[]): void {
  const flat: string[] = [];
  for (const e of edges) flat.push(e.from, e.to);
  if (flat.length) g.create_dataset({ name: 'edges', data: flat, shape: [edges.length, 2] });
  else g.create_dataset({ name: 'edges', data: [] as string[], shape: [0, 2], dtype: 'S' });
}

/** Write one graph level (the root `node` group or a nested NIRGraph node group). */
export function writeGraphGroup(g: H5Group, graph: { nodes: readonly Node[]; edges: readonly Edge[]; metadata?: Metadata }, opts: WriteOptions): void {
  g.create_dataset({ name: 'type', data: 'NIRGraph' });
  writeEdges(g, graph.edges);
  const nodes = g.create_group('nodes', true);
  const seen = new Set<string>();
  for (const n of graph.nodes) {
    checkName(n.name, 'in a NIR file every node is a group');
    if (seen.has(n.name)) throw new NeuromeshError([diag('E_DUPLICATE_NODE', 'node name used twice', { node: n.name })]);
    seen.add(n.name);
    const ng = nodes.create_group(n.name, true);
    if (n.kind === 'NIRGraph') writeGraphGroup(ng, n, opts);
    else {
      ng.create_dataset({ name: 'type', data: n.kind });
      const rec = n as unknown as Record<string, unknown>;
      for (const f of PRIMITIVES[n.kind].fields) {
        const v = rec[f.name];
        if (v === undefined) {
          if (!f.optional) throw new NeuromeshError([diag('E_MISSING_FIELD', `required field '${f.name}' is missing`, { node: n.name, field: f.name })]);
          continue;
        }
        FIELD_WRITERS[f.type](ng, f.name, v, opts);
      }
    }
    if (n.metadata && Object.keys(n.metadata).length) writeMetadata(ng.create_group('metadata', true), n.metadata);
  }
  if (graph.metadata && Object.keys(graph.metadata).length) writeMetadata(g.create_group('metadata', true), graph.metadata);
}

/** Write the whole file into an open (writable) HDF5 root group. */
export function writeNirTree(root: H5Group, graph: NestedGraph, opts: WriteOptions): void {
  root.create_dataset({ name: 'version', data: NIR_WRITE_VERSION });
  writeGraphGroup(root.create_group('node', true), graph, opts);
}
