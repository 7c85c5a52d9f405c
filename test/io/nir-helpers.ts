/**
 * Test helpers for NIR I/O: write arbitrary HDF5 trees (to build malformed NIR files by hand)
 * and compare graphs bit for bit.
 */
import { expect } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import { runHdf5 } from '../../src/io/hdf5-module.js';
import type { H5Group } from '../../src/io/hdf5-read.js';

type Typed = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint32Array | Uint8Array | Uint16Array;

/** A dataset with an explicit shape; `grow` resizes a chunked dataset afterwards (declared size only). */
export interface Ds {
  $data: Typed | string[] | string;
  $shape?: number[];
  $grow?: number[];
}
/** A hard link to an existing object (absolute path). */
export interface Link {
  $link: string;
}
export type TreeValue = string | string[] | Typed | Ds | Link | Tree;
export interface Tree {
  [key: string]: TreeValue;
}

function isDs(v: TreeValue): v is Ds {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && '$data' in v;
}

function writeTree(g: H5Group, t: Tree): void {
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'string') g.create_dataset({ name: k, data: v });
    else if (Array.isArray(v)) g.create_dataset({ name: k, data: v, shape: [v.length] });
    else if (ArrayBuffer.isView(v)) g.create_dataset({ name: k, data: v, shape: [v.length] });
    else if ('$link' in v && typeof v.$link === 'string') g.create_hard_link(v.$link, k);
    else if (isDs(v)) {
      if (v.$grow) {
        const d = g.create_dataset({ name: k, data: v.$data as Typed, shape: v.$shape ?? null, maxshape: v.$grow.map(() => null), chunks: v.$shape ?? null });
        d.resize(v.$grow);
      } else g.create_dataset({ name: k, data: v.$data, shape: v.$shape ?? null });
    } else writeTree(g.create_group(k, true), v as Tree);
  }
}

/** HDF5 bytes of a hand-written tree. */
export async function treeToBytes(t: Tree): Promise<Uint8Array> {
  return runHdf5(({ h5, path }) => {
    const name = path('tree');
    const f = new h5.File(name, 'w', { track_order: true });
    try {
      writeTree(f, t);
    } finally {
      f.close();
    }
    return Uint8Array.from(h5.FS!.readFile(name));
  });
}

export const f32 = (...v: number[]): Float32Array => Float32Array.from(v);
export const i64 = (...v: number[]): BigInt64Array => BigInt64Array.from(v.map(BigInt));

/** lif_norse.nir's structure: input → 0 (Affine) → 1 (LIF) → output, NIR 0.1 layout. */
export function lifTree(over: { version?: string; nodes?: Tree; edges?: string[][] } = {}): Tree {
  const nodes: Tree = {
    '0': { type: 'Affine', weight: { $data: f32(1), $shape: [1, 1] }, bias: f32(0) },
    '1': { type: 'LIF', tau: f32(0.0025), r: f32(1), v_leak: f32(0), v_threshold: f32(0.1) },
    input: { type: 'Input', shape: i64(1) },
    output: { type: 'Output', shape: i64(1) },
    ...over.nodes,
  };
  for (const [k, v] of Object.entries(nodes)) if (v === undefined || (typeof v === 'object' && Object.keys(v).length === 0)) delete nodes[k];
  const edges = over.edges ?? [['input', '0'], ['0', '1'], ['1', 'output']];
  return {
    version: over.version ?? '0.1.1',
    node: { type: 'NIRGraph', edges: { $data: edges.flat(), $shape: [edges.length, 2] }, nodes },
  };
}

/** Bytes of a typed array (for bit-equality). */
function bits(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Deep equality where typed arrays must have the same class and the same bits. */
export function expectBitEqual(a: unknown, b: unknown, path = '$'): void {
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    expect(ArrayBuffer.isView(a) && ArrayBuffer.isView(b), `${path}: typed array vs other`).toBe(true);
    const x = a as ArrayBufferView;
    const y = b as ArrayBufferView;
    expect(y.constructor.name, `${path}: dtype`).toBe(x.constructor.name);
    expect(Buffer.from(bits(y)).equals(Buffer.from(bits(x))), `${path}: bits differ`).toBe(true);
    return;
  }
  if (Array.isArray(a)) {
    expect(Array.isArray(b), `${path}: array`).toBe(true);
    expect((b as unknown[]).length, `${path}: length`).toBe(a.length);
    a.forEach((x, i) => expectBitEqual(x, (b as unknown[])[i], `${path}[${i}]`));
    return;
  }
  if (typeof a === 'object' && a !== null) {
    expect(typeof b === 'object' && b !== null, `${path}: object`).toBe(true);
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined).sort();
    const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined).sort();
    expect(kb, `${path}: keys`).toEqual(ka);
    for (const k of ka) expectBitEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(b, path).toBe(a);
}

/** Graphs equal as NIR stores them (nodes in the same order, edges, metadata; not the version). */
export function expectGraphsBitEqual(a: Graph, b: Graph): void {
  expectBitEqual({ nodes: a.nodes, edges: a.edges, metadata: a.metadata }, { nodes: b.nodes, edges: b.edges, metadata: b.metadata });
}
