/**
 * NIR (HDF5) input and output. Reading: signature and size checks on the raw bytes, then HDF5
 * (h5wasm) with every declared size checked before data is read, then flattenGraph and
 * analyze(); the first problem is thrown as a NeuromeshError (exit 2) with one Diagnostic naming
 * the file, node and field. Writing: NIR 1.0 layout (see nir-write.ts), atomically.
 */
import { diag, isError, NeuromeshError } from '../errors.js';
import { flattenGraph } from '../graph/flatten.js';
import { analyze, type Graph, type NestedGraph } from '../graph/graph.js';
import type { OutputNode } from '../graph/nodes/output.js';
import { writeFileAtomic } from './atomic-write.js';
import { runHdf5 } from './hdf5-module.js';
import { readNirTree } from './hdf5-isolate.js';
import { checkHdf5Bytes, MAX_FILE_BYTES } from './hdf5-signature.js';
import { refuse } from './nir-tree.js';
import { writeNirTree } from './nir-write.js';
import { readRegularFile } from './read-file.js';

export { NIR_WRITE_VERSION } from './nir-write.js';


/** Read a NIR file into a flat, analyzed graph. */
export async function readNir(path: string): Promise<Graph> {
  return readNirBytes(await readRegularFile(path, 'NIR file', MAX_FILE_BYTES, 'E_ABSURD_SIZE'), path);
}

/** Read NIR bytes (named `file` in diagnostics) into a flat, analyzed graph. */
export async function readNirBytes(bytes: Uint8Array, file: string): Promise<Graph> {
  const pre = checkHdf5Bytes(bytes, file);
  if (pre.length) refuse(pre, file);
  const res = await readNirTree(bytes, file);
  const flat = flattenGraph(res.graph, file);
  if (!flat.graph || flat.diagnostics.some(isError)) refuse(flat.diagnostics, file);
  const graph = flat.graph;
  if (res.outputsWithoutShape.length) inferOutputShapes(graph, res.outputsWithoutShape, file);
  const a = analyze(graph, file);
  if (!a.shapes || a.diagnostics.some(isError)) refuse(a.diagnostics, file);
  return graph;
}

/**
 * NIR 0.1 writers stored Output nodes without a shape: take the shape of what feeds them
 * (analyzing the graph without those outputs).
 */
function inferOutputShapes(g: Graph, names: string[], file: string): void {
  const missing = new Set(names);
  const probe: Graph = { nodes: g.nodes.filter((n) => !missing.has(n.name)), edges: g.edges.filter((e) => !missing.has(e.to) && !missing.has(e.from)) };
  const a = analyze(probe, file);
  if (!a.shapes) refuse(a.diagnostics, file);
  for (const n of g.nodes) {
    if (n.kind !== 'Output' || !missing.has(n.name)) continue;
    const src = g.edges.find((e) => e.to === n.name)?.from;
    const s = src === undefined ? undefined : a.shapes.output.get(src);
    if (!s) refuse([diag('E_MISSING_FIELD', "Output has no 'shape' and no input to take it from", { file, node: n.name, field: 'shape' })], file);
    (n as OutputNode).shape = [...s];
  }
}

/** Serialize a graph (flat, or nested with NIRGraph nodes) as NIR 1.0-layout HDF5 bytes. */
export async function nirToBytes(graph: Graph | NestedGraph, opts: { gzip?: boolean } = {}): Promise<Uint8Array> {
  try {
    return await runHdf5(({ h5, path }) => {
      const name = path('write');
      const f = new h5.File(name, 'w', { track_order: true });
      try {
        writeNirTree(f, graph, { gzip: opts.gzip ?? false });
      } finally {
        f.close();
      }
      return Uint8Array.from(h5.FS!.readFile(name));
    });
  } catch (e) {
    if (e instanceof NeuromeshError) throw e;
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new NeuromeshError([diag('E_NIR_WRITE', `cannot write NIR: ${msg.slice(0, 160)}`, { hint: 'this is a bug in neuromesh if the graph is valid' })]);
  }
}

/** Write a graph as a NIR file, atomically. */
export async function writeNir(graph: Graph | NestedGraph, path: string, opts: { gzip?: boolean } = {}): Promise<void> {
  const bytes = await nirToBytes(graph, opts);
  writeFileAtomic(path, bytes);
}
