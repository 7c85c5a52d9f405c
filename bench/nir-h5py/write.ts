/**
 * Writes NIR files with neuromesh for the h5py cross-check (check.py) plus a manifest of what
 * each file must contain — every dataset's path, dtype and shape — derived from the in-memory
 * graphs, not from reading the files back.
 *
 * Usage: node dist/bench/nir-h5py/write.js <out-dir>   (run.sh does everything)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Graph, NestedGraph, Node } from '../../src/graph/graph.js';
import { PRIMITIVES } from '../../src/graph/registry.js';
import type { FieldType } from '../../src/graph/spec.js';
import { indexDTypeOf, type FloatTensor, type IndexArray } from '../../src/graph/tensor.js';
import { readNir, writeNir, NIR_WRITE_VERSION } from '../../src/io/nir.js';

interface DatasetSpec {
  dtype: string;
  shape: number[];
}

const paper = (...p: string[]): string => resolve(process.cwd(), 'test', 'fixtures', 'nir-paper', ...p);

/** dtype/shape per field type, as numpy names them. */
const SPEC_OF: { [T in FieldType]: (v: unknown) => DatasetSpec } = {
  tensor: (v) => ({ dtype: (v as FloatTensor).dtype, shape: [...(v as FloatTensor).shape] }),
  ints: (v) => ({ dtype: 'int64', shape: [(v as number[]).length] }),
  int: () => ({ dtype: 'int64', shape: [] }),
  float: () => ({ dtype: 'float64', shape: [] }),
  string: () => ({ dtype: 'str', shape: [] }),
  strings: (v) => ({ dtype: 'str', shape: [(v as string[]).length] }),
  index: (v) => ({ dtype: indexDTypeOf(v as IndexArray), shape: [(v as IndexArray).length] }),
};

function manifest(g: { nodes: readonly Node[]; edges: readonly { from: string; to: string }[] }, base: string, out: Record<string, DatasetSpec>): void {
  out[`${base}/type`] = { dtype: 'str', shape: [] };
  out[`${base}/edges`] = { dtype: 'str', shape: [g.edges.length, 2] };
  for (const n of g.nodes) {
    const p = `${base}/nodes/${n.name}`;
    if (n.kind === 'NIRGraph') {
      manifest(n, p, out);
      continue;
    }
    out[`${p}/type`] = { dtype: 'str', shape: [] };
    const rec = n as unknown as Record<string, unknown>;
    for (const f of PRIMITIVES[n.kind].fields) if (rec[f.name] !== undefined) out[`${p}/${f.name}`] = SPEC_OF[f.type](rec[f.name]);
  }
}

function ownKinds(): Graph {
  const f64 = (...v: number[]): FloatTensor => ({ dtype: 'float64', shape: [v.length], data: Float64Array.from(v) });
  return {
    nodes: [
      { kind: 'SpikeSource', name: 'src', shape: [3], rate: f64(20), seed: 7 },
      {
        kind: 'SparseLinear', name: 'syn', in_size: 3, out_size: 2, indptr: Int32Array.of(0, 1, 2, 3), indices: Uint16Array.of(0, 1, 1),
        weight: { dtype: 'float32', shape: [3], data: Float32Array.of(0.5, -1, 2) }, delay: Uint8Array.of(0, 1, 2), receptor: 1,
      },
      {
        kind: 'CurrentLIF', name: 'pop', shape: [2], tau_mem: f64(0.02), v_rest: f64(-0.06), v_reset: f64(-0.06), v_threshold: f64(-0.05),
        t_ref: f64(0.005), tau_syn: f64(0.005, 0.01), receptors: ['exc', 'inh'],
      },
      { kind: 'Output', name: 'out', shape: [2] },
    ],
    edges: [{ from: 'src', to: 'syn' }, { from: 'syn', to: 'pop' }, { from: 'pop', to: 'out' }],
  };
}

async function nestedBraille(): Promise<NestedGraph> {
  const flat = await readNir(paper('braille', 'braille_noDelay_bias_zero.nir'));
  const n = (name: string): Node => flat.nodes.find((x) => x.name === name)!;
  return {
    nodes: [
      n('input'), n('fc1'),
      {
        kind: 'NIRGraph', name: 'lif1',
        nodes: [{ kind: 'Input', name: 'input', shape: [38] }, { ...n('lif1.lif'), name: 'lif' } as Node, { ...n('lif1.w_rec'), name: 'w_rec' } as Node, { kind: 'Output', name: 'output', shape: [38] }],
        edges: [{ from: 'input', to: 'lif' }, { from: 'lif', to: 'w_rec' }, { from: 'w_rec', to: 'lif' }, { from: 'lif', to: 'output' }],
      },
      n('fc2'), n('lif2'), n('output'),
    ],
    edges: [{ from: 'input', to: 'fc1' }, { from: 'fc1', to: 'lif1' }, { from: 'lif1', to: 'fc2' }, { from: 'fc2', to: 'lif2' }, { from: 'lif2', to: 'output' }],
  };
}

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? 'nir-h5py-out');
  mkdirSync(outDir, { recursive: true });
  const sources: { name: string; graph: NestedGraph; source?: string }[] = [];
  for (const [d, f] of [['lif', 'lif_norse.nir'], ['lif', 'lif_rockpool.nir'], ['lif', 'two_lif_neurons.nir'], ['cnn', 'cnn_sinabs.nir'], ['braille', 'braille_noDelay_bias_zero.nir'], ['braille', 'braille_noDelay_noBias_subtract.nir']] as const)
    sources.push({ name: f.replace(/\.nir$/, ''), graph: await readNir(paper(d, f)), source: paper(d, f) });
  sources.push({ name: 'own_kinds', graph: ownKinds() });
  sources.push({ name: 'braille_nested', graph: await nestedBraille() });
  const files = [];
  for (const s of sources) {
    for (const gzip of [false, true]) {
      const file = resolve(outDir, `${s.name}${gzip ? '.gz' : ''}.nir`);
      await writeNir(s.graph, file, { gzip });
      const datasets: Record<string, DatasetSpec> = { version: { dtype: 'str', shape: [] } };
      manifest(s.graph, 'node', datasets);
      files.push({ file, gzip, version: NIR_WRITE_VERSION, source: s.source ?? null, datasets });
    }
  }
  writeFileSync(resolve(outDir, 'manifest.json'), JSON.stringify({ files }, null, 1));
  console.log(`wrote ${files.length} files and manifest.json to ${outDir}`);
}

await main();
