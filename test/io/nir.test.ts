import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { analyze, neuronCount, type FlatNode, type Graph, type NestedGraph } from '../../src/graph/graph.js';
import { flattenGraph } from '../../src/graph/flatten.js';
import { runHdf5 } from '../../src/io/hdf5-module.js';
import { nirToBytes, readNir, readNirBytes, writeNir } from '../../src/io/nir.js';
import { fixture } from '../helpers/shared.js';
import { expectGraphsBitEqual } from './nir-helpers.js';
import { simulate } from '../../src/reference/simulate.js';

const tmp = mkdtempSync(join(tmpdir(), 'nm-nir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const VALID = [
  ['lif', 'lif_norse.nir'], ['lif', 'lif_rockpool.nir'], ['lif', 'two_lif_neurons.nir'], ['cnn', 'cnn_sinabs.nir'],
  ['braille', 'braille_noDelay_bias_zero.nir'], ['braille', 'braille_noDelay_noBias_subtract.nir'],
] as const;

function byName(g: Graph, name: string): FlatNode {
  const n = g.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node ${name} in ${g.nodes.map((x) => x.name).join(', ')}`);
  return n;
}

function kinds(g: Graph): Record<string, string> {
  return Object.fromEntries(g.nodes.map((n) => [n.name, n.kind]));
}

async function refusal(p: Promise<unknown>): Promise<NeuromeshError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(NeuromeshError);
  return e as NeuromeshError;
}

describe('reading the NIR paper fixtures', () => {
  it('lif_norse (NIR 0.1.1): float32 Affine → LIF without v_reset', async () => {
    const g = await readNir(fixture('lif', 'lif_norse.nir'));
    expect(g.nirVersion).toBe('0.1.1');
    expect(kinds(g)).toEqual({ '0': 'Affine', '1': 'LIF', input: 'Input', output: 'Output' });
    const lif = byName(g, '1');
    if (lif.kind !== 'LIF') throw new Error('kind');
    expect(lif.v_reset).toBeUndefined();
    expect(lif.tau.dtype).toBe('float32');
    expect(lif.tau.data[0]).toBe(Math.fround(0.0025));
    expect(lif.v_threshold.data[0]).toBe(Math.fround(0.1));
    expect(g.edges).toEqual([{ from: 'input', to: '0' }, { from: '0', to: '1' }, { from: '1', to: 'output' }]);
  });

  it('lif_rockpool: Linear, Output declared [1, 1, 1]', async () => {
    const g = await readNir(fixture('lif', 'lif_rockpool.nir'));
    expect(g.nirVersion).toBe('0.2.0');
    expect(byName(g, '0_LinearTorch').kind).toBe('Linear');
    const out = byName(g, 'output');
    expect(out.kind === 'Output' && out.shape).toEqual([1, 1, 1]);
  });

  it('two_lif_neurons: float64 parameters, two neurons', async () => {
    const g = await readNir(fixture('lif', 'two_lif_neurons.nir'));
    const lif1 = byName(g, 'lif1');
    if (lif1.kind !== 'LIF') throw new Error('kind');
    expect(lif1.tau.dtype).toBe('float64');
    expect(lif1.v_leak.data[0]).toBe(1.2);
    const a = analyze(g);
    expect(neuronCount(g, a.shapes!)).toBe(2);
  });

  it('cnn_sinabs: 8,970 neurons, conv/pool/flatten fields and shapes', async () => {
    const g = await readNir(fixture('cnn', 'cnn_sinabs.nir'));
    const a = analyze(g);
    const shapes = a.shapes!;
    // Independent count from the README's architecture: 34×34 input, conv 5×5 stride 2 pad 1 → 16×16,
    // conv 3×3 pad 1 → 16×16, pool 2 → 8×8, conv 3×3 pad 1 → 8×8, pool 2 → 4×4, dense 256, dense 10.
    const side1 = Math.floor((34 + 2 * 1 - 5) / 2) + 1;
    const expected = 16 * side1 * side1 + 16 * side1 * side1 + 8 * (side1 / 2) ** 2 + 256 + 10;
    expect(expected).toBe(8970);
    expect(neuronCount(g, shapes)).toBe(expected);
    expect(shapes.output.get('1')).toEqual([16, 16, 16]);
    expect(shapes.output.get('8')).toEqual([128]);
    expect(shapes.output.get('output')).toEqual([10]);
    const conv = byName(g, '0');
    if (conv.kind !== 'Conv2d') throw new Error('kind');
    expect(conv.stride).toEqual([2, 2]);
    expect(conv.padding).toEqual([1, 1]);
    expect(conv.groups).toBe(1);
    expect(conv.input_shape).toEqual([34, 34]);
    expect(conv.weight.shape).toEqual([16, 2, 5, 5]);
    expect(conv.weight.dtype).toBe('float32');
    const flat = byName(g, '8');
    expect(flat.kind === 'Flatten' && [flat.start_dim, flat.end_dim, flat.input_type]).toEqual([0, -1, [8, 4, 4]]);
    const ifn = byName(g, '1');
    expect(ifn.kind === 'IF' && ifn.v_reset).toBeUndefined();
    expect(ifn.kind === 'IF' && ifn.r.shape).toEqual([16, 16, 16]);
  });

  it('braille flat files: CubaLIF with w_in, recurrent Affine, float64 neurons', async () => {
    const g = await readNir(fixture('braille', 'braille_noDelay_bias_zero.nir'));
    expect(kinds(g)).toEqual({ fc1: 'Affine', fc2: 'Affine', input: 'Input', 'lif1.lif': 'CubaLIF', 'lif1.w_rec': 'Affine', lif2: 'CubaLIF', output: 'Output' });
    const lif = byName(g, 'lif1.lif');
    if (lif.kind !== 'CubaLIF') throw new Error('kind');
    expect(lif.w_in?.dtype).toBe('float64');
    expect(lif.tau_mem.shape).toEqual([38]);
    expect(neuronCount(g, analyze(g).shapes!)).toBe(38 + 7);
    const g2 = await readNir(fixture('braille', 'braille_noDelay_noBias_subtract.nir'));
    expect(neuronCount(g2, analyze(g2).shapes!)).toBe(40 + 7);
    expect(byName(g2, 'fc1').kind).toBe('Linear');
  });

  it.each([['braille_noDelay_bias_zero_subgraph.nir'], ['braille_noDelay_noBias_subtract_subgraph.nir']])(
    'refuses the broken %s in one line naming subgraph lif1 and missing node lif', async (name) => {
      const path = fixture('braille', name);
      const e = await refusal(readNir(path));
      expect(e.exitCode).toBe(2);
      expect(e.diagnostics).toHaveLength(1);
      expect(e.message.split('\n')).toHaveLength(1);
      const d = e.diagnostics[0]!;
      expect(d.code).toBe('E_UNKNOWN_NODE');
      expect(d.file).toBe(path);
      expect(d.node).toBe('lif1');
      expect(d.message).toContain("'lif'");
    });
});

describe('nested subgraphs', () => {
  it('a hand-corrected nested Braille graph flattens to the flat file’s graph (up to node names)', async () => {
    const flat = await readNir(fixture('braille', 'braille_noDelay_bias_zero.nir'));
    const n = (name: string): FlatNode => byName(flat, name);
    const cell = { ...n('lif1.lif'), name: 'cell' } as FlatNode;
    const rec = { ...n('lif1.w_rec'), name: 'rec' } as FlatNode;
    const nested: NestedGraph = {
      nodes: [
        n('input'), n('fc1'),
        {
          kind: 'NIRGraph', name: 'lif1',
          nodes: [{ kind: 'Input', name: 'input', shape: [38] }, cell, rec, { kind: 'Output', name: 'output', shape: [38] }],
          edges: [{ from: 'input', to: 'cell' }, { from: 'cell', to: 'rec' }, { from: 'rec', to: 'cell' }, { from: 'cell', to: 'output' }],
        },
        n('fc2'), n('lif2'), n('output'),
      ],
      edges: [{ from: 'input', to: 'fc1' }, { from: 'fc1', to: 'lif1' }, { from: 'lif1', to: 'fc2' }, { from: 'fc2', to: 'lif2' }, { from: 'lif2', to: 'output' }],
    };
    const path = join(tmp, 'braille_nested.nir');
    await writeNir(nested, path);
    const g = await readNir(path);
    // rename lif1.cell → lif1.lif, lif1.rec → lif1.w_rec: the isomorphism
    const rename = new Map([['lif1.cell', 'lif1.lif'], ['lif1.rec', 'lif1.w_rec']]);
    const r = (s: string): string => rename.get(s) ?? s;
    expect(new Set(g.nodes.map((x) => r(x.name)))).toEqual(new Set(flat.nodes.map((x) => x.name)));
    const key = (e: { from: string; to: string }): string => `${r(e.from)}→${r(e.to)}`;
    expect(new Set(g.edges.map(key))).toEqual(new Set(flat.edges.map((e) => `${e.from}→${e.to}`)));
    expect(g.edges).toHaveLength(flat.edges.length);
    for (const x of g.nodes) {
      const y = byName(flat, r(x.name));
      expectGraphsBitEqual({ nodes: [{ ...x, name: y.name }], edges: [] }, { nodes: [y], edges: [] });
    }
    // and the same flattening happens without a file in between
    const direct = flattenGraph(nested).graph!;
    expect(direct.nodes.map((x) => x.name).sort()).toEqual(g.nodes.map((x) => x.name).sort());
  });
});

describe('write → read round trip', () => {
  it.each(VALID.flatMap(([d, f]) => [[d, f, false], [d, f, true]] as const))('%s/%s (gzip %s) reads back bit-equal', async (dir, file, gzip) => {
    const g = await readNir(fixture(dir, file));
    const bytes = await nirToBytes(g, { gzip });
    const back = await readNirBytes(bytes, `${file}.rt`);
    expect(back.nirVersion).toBe('1.0.0');
    expectGraphsBitEqual(g, back);
    // and again: writing what was read gives the same graph
    expectGraphsBitEqual(back, await readNirBytes(await nirToBytes(back, { gzip }), 'x'));
  });

  it('refuses to write a node name HDF5 cannot store, in one line', async () => {
    const g = await readNir(fixture('lif', 'lif_norse.nir'));
    const bad: Graph = { ...g, nodes: g.nodes.map((n) => (n.name === '1' ? { ...n, name: 'lif/1' } : n)), edges: [] };
    const e = await refusal(nirToBytes(bad));
    expect(e.diagnostics).toHaveLength(1);
    expect([e.diagnostics[0]!.code, e.diagnostics[0]!.node]).toEqual(['E_BAD_NAME', 'lif/1']);
  });

  it('keeps metadata on the graph and on nodes', async () => {
    const g = await readNir(fixture('lif', 'lif_norse.nir'));
    g.metadata = { source: 'test', dt: 1e-4, steps: [1, 2, 3], tags: ['a', 'b'], nested: { flag: true, k: 3 } };
    g.nodes[0]!.metadata = { layer: 'fc', scale: 0.5 };
    const back = await readNirBytes(await nirToBytes(g), 'meta.nir');
    expect(back.metadata).toEqual(g.metadata);
    expect(back.nodes[0]!.metadata).toEqual({ layer: 'fc', scale: 0.5 });
  });

  it('neuromesh’s own kinds (SparseLinear, SpikeSource, CurrentLIF) round-trip too', async () => {
    const g: Graph = {
      nodes: [
        { kind: 'SpikeSource', name: 'src', shape: [3], rate: { dtype: 'float64', shape: [1], data: Float64Array.of(20) }, seed: 7 },
        {
          kind: 'SparseLinear', name: 'syn', in_size: 3, out_size: 2, indptr: Int32Array.of(0, 1, 2, 3), indices: Uint16Array.of(0, 1, 1),
          weight: { dtype: 'float32', shape: [3], data: Float32Array.of(0.5, -1, 2) }, delay: Uint8Array.of(0, 1, 2), receptor: 1,
        },
        {
          kind: 'CurrentLIF', name: 'pop', shape: [2], tau_mem: f64v(0.02), v_rest: f64v(-0.06), v_reset: f64v(-0.06), v_threshold: f64v(-0.05),
          t_ref: f64v(0.005), tau_syn: { dtype: 'float64', shape: [2], data: Float64Array.of(0.005, 0.01) }, receptors: ['exc', 'inh'],
        },
        { kind: 'Output', name: 'out', shape: [2] },
      ],
      edges: [{ from: 'src', to: 'syn' }, { from: 'syn', to: 'pop' }, { from: 'pop', to: 'out' }],
    };
    expect(analyze(g).diagnostics).toEqual([]);
    const back = await readNirBytes(await nirToBytes(g, { gzip: true }), 'own.nir');
    expectGraphsBitEqual(g, back);
  });

  it('tau_syn 0 (a delta synapse) is read and written back: CubaLIF a_syn = 0, a CurrentLIF delta receptor, same simulation', async () => {
    const g: Graph = {
      nodes: [
        { kind: 'Input', name: 'in', shape: [2] },
        { kind: 'Linear', name: 'w', weight: { dtype: 'float64', shape: [2, 2], data: Float64Array.of(1, 0.5, -0.25, 2) } },
        { kind: 'CubaLIF', name: 'cuba', tau_syn: f64v(0), tau_mem: f64v(0.01), r: f64v(1), v_leak: f64v(0), v_threshold: f64v(0.05) },
        {
          kind: 'SparseLinear', name: 'syn', in_size: 2, out_size: 2, indptr: Int32Array.of(0, 1, 2), indices: Int32Array.of(0, 1),
          weight: { dtype: 'float64', shape: [2], data: Float64Array.of(1.2, 0.7) }, receptor: 0,
        },
        {
          kind: 'CurrentLIF', name: 'pop', shape: [2], tau_mem: f64v(0.02), v_rest: f64v(0), v_reset: f64v(0), v_threshold: f64v(1),
          t_ref: f64v(0.001), tau_syn: { dtype: 'float64', shape: [2], data: Float64Array.of(0, 0.01) }, receptors: ['d', 'exc'],
        },
        { kind: 'Output', name: 'out', shape: [2] },
      ],
      edges: [{ from: 'in', to: 'w' }, { from: 'w', to: 'cuba' }, { from: 'cuba', to: 'syn' }, { from: 'syn', to: 'pop' }, { from: 'pop', to: 'out' }],
    };
    expect(analyze(g).diagnostics).toEqual([]);
    const file = join(tmp, 'delta.nir');
    await writeNir(g, file);
    const back = await readNir(file);
    expectGraphsBitEqual(g, back);
    expect(Array.from((byName(back, 'pop') as Extract<FlatNode, { kind: 'CurrentLIF' }>).tau_syn.data)).toEqual([0, 0.01]);
    const inputs = new Map([['in', { kind: 'poisson' as const, node: 'in', size: 2, rateHz: 3000, seed: 2 }]]);
    const a = simulate(g, { steps: 300, inputs });
    const b = simulate(back, { steps: 300, inputs });
    expect(a.spikes.get('pop')!.steps.length).toBeGreaterThan(0);
    expect(Array.from(b.spikes.get('pop')!.steps)).toEqual(Array.from(a.spikes.get('pop')!.steps));
    expect(Array.from(b.spikes.get('cuba')!.steps)).toEqual(Array.from(a.spikes.get('cuba')!.steps));
  });
});

function f64v(v: number): { dtype: 'float64'; shape: number[]; data: Float64Array } {
  return { dtype: 'float64', shape: [1], data: Float64Array.of(v) };
}

describe('the committed gzip fixture', () => {
  it('test/fixtures/braille_gzip.nir is gzip-compressed and equals the Braille model', async () => {
    const path = join(import.meta.dirname, '..', 'fixtures', 'braille_gzip.nir');
    const g = await readNir(path);
    const src = await readNir(fixture('braille', 'braille_noDelay_bias_zero.nir'));
    expectGraphsBitEqual(src, g);
    expect(g.nirVersion).toBe('1.0.0');
    const filters = await runHdf5(({ h5, path: tmpName }) => {
      const name = tmpName('filters');
      h5.FS!.writeFile(name, readFileSync(path));
      const f = new h5.File(name, 'r');
      try {
        const d = f.get('node/nodes/fc1/weight');
        return d instanceof h5.Dataset ? d.filters.map((x) => x.name) : [];
      } finally {
        f.close();
      }
    });
    expect(filters).toContain('deflate');
  });
});

describe('a NIR 1.0 file written by h5py as nir.write lays it out (test/fixtures/make-nir1-h5py.py)', () => {
  it('loads with the right kinds, counts, padding, metadata and booleans', async () => {
    const g = await readNir(join(import.meta.dirname, '..', 'fixtures', 'nir1-h5py.nir'));
    expect(g.nirVersion).toBe('1.0.0');
    expect(kinds(g)).toEqual({ conv: 'Conv2d', cuba: 'CubaLIF', fc: 'Affine', flat: 'Flatten', input: 'Input', lif: 'LIF', output: 'Output' });
    expect(g.metadata).toEqual({ dt: 0.001, source: 'h5py emulation of nir.write 1.0', trained: true });
    const conv = byName(g, 'conv');
    if (conv.kind !== 'Conv2d') throw new Error('kind');
    expect([conv.padding, conv.stride, conv.dilation, conv.groups, conv.input_shape]).toEqual([[1, 1], [1, 1], [1, 1], 1, [6, 6]]);
    expect(conv.metadata).toEqual({ layer: 'conv1' });
    expect(conv.weight.dtype).toBe('float32');
    const lif = byName(g, 'lif');
    expect(lif.kind === 'LIF' && lif.v_reset?.dtype).toBe('float64');
    const a = analyze(g);
    expect(a.shapes!.output.get('conv')).toEqual([4, 6, 6]);
    // 'same' padding keeps 6×6: LIF 4·6·6 = 144 neurons, CubaLIF 5
    expect(neuronCount(g, a.shapes!)).toBe(4 * 6 * 6 + 5);
  });
});

